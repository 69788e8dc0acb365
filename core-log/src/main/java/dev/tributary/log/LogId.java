package dev.tributary.log;

/**
 * A partition's log by name, without kafka-clients' {@code TopicPartition}: the key of the data directory's
 * checkpoint files ({@link HighWatermarkCheckpoint}). Ordered by topic, then partition.
 */
public record LogId(String topic, int partition) implements Comparable<LogId> {
    public LogId {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("a log id needs a topic");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition " + partition + " of topic " + topic);
        }
    }

    @Override
    public int compareTo(LogId other) {
        int c = topic.compareTo(other.topic);
        return c != 0 ? c : Integer.compare(partition, other.partition);
    }

    /** {@code topic-partition}, the log directory's name. */
    @Override
    public String toString() {
        return topic + "-" + partition;
    }
}
