package dev.tributary.broker.partition;

/**
 * A topic and partition number; also names the partition's directory {@code <topic>-<partition>}.
 */
public record PartitionId(String topic, int partition) {

    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
