package dev.tributary.spark.offsets;

import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * The half-open offset interval {@code [from, until)} of one topic-partition that one Spark task reads,
 * plus the executor it prefers (null when there is no preference).
 */
public record OffsetRange(TopicPartition topicPartition, long from, long until, String preferredLocation)
        implements Serializable {

    public OffsetRange {
        Objects.requireNonNull(topicPartition, "topicPartition");
        if (from < 0 || until < from) {
            throw new IllegalArgumentException(topicPartition + ": bad offset range [" + from + ", " + until + ")");
        }
    }

    public OffsetRange(TopicPartition topicPartition, long from, long until) {
        this(topicPartition, from, until, null);
    }

    /** Number of offsets in the range (records may be fewer: compaction, transaction markers). */
    public long size() {
        return until - from;
    }

    public OffsetRange withPreferredLocation(String location) {
        return new OffsetRange(topicPartition, from, until, location);
    }

    @Override
    public String toString() {
        return topicPartition + "[" + from + "," + until + ")";
    }
}
