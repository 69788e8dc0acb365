package dev.tributary.broker.partition;

/**
 * A topic and partition number; names the partition's directory {@code <topic>-<partition>} and keys a
 * group's committed offsets. Ordered by topic, then partition.
 */
public record PartitionId(String topic, int partition) implements Comparable<PartitionId> {

    @Override
    public int compareTo(PartitionId o) {
        int c = topic.compareTo(o.topic);
        return c != 0 ? c : Integer.compare(partition, o.partition);
    }

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
