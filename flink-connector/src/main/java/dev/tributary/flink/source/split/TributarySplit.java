package dev.tributary.flink.source.split;

import java.util.Objects;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.kafka.common.TopicPartition;

/**
 * An offset range of one partition: the unit the enumerator hands to readers.
 *
 * <p>A whole partition is one split ({@code rangeIndex == 0}). A large bounded range may be cut into
 * several splits for parallel backfill; each piece then carries its own {@code rangeIndex} so split
 * ids stay stable while {@link #startingOffset()} moves forward in checkpoints.
 *
 * <p>The split ends at the first of: {@link #stoppingOffset()} (exclusive), or the first record whose
 * timestamp is {@code >= }{@link #stoppingTimestamp()}. Either may be absent ({@link #NO_STOPPING_OFFSET},
 * {@link #NO_STOPPING_TIMESTAMP}); with both absent the split never ends.
 *
 * <p>Immutable; the reader's mutable progress lives in {@link TributarySplitState}.
 */
public final class TributarySplit implements SourceSplit {

    /** No upper offset bound: read until the stopping timestamp or forever. */
    public static final long NO_STOPPING_OFFSET = Long.MAX_VALUE;
    /** No timestamp bound. */
    public static final long NO_STOPPING_TIMESTAMP = Long.MAX_VALUE;

    private final String topic;
    private final int partition;
    private final int rangeIndex;
    private final long startingOffset;
    private final long stoppingOffset;
    private final long stoppingTimestamp;

    public TributarySplit(
            String topic,
            int partition,
            int rangeIndex,
            long startingOffset,
            long stoppingOffset,
            long stoppingTimestamp) {
        if (startingOffset < 0) {
            throw new IllegalArgumentException("starting offset of " + topic + "-" + partition
                    + " must be resolved (>= 0), got " + startingOffset);
        }
        if (rangeIndex < 0) {
            throw new IllegalArgumentException("range index must be >= 0, got " + rangeIndex);
        }
        this.topic = Objects.requireNonNull(topic, "topic");
        this.partition = partition;
        this.rangeIndex = rangeIndex;
        this.startingOffset = startingOffset;
        this.stoppingOffset = stoppingOffset;
        this.stoppingTimestamp = stoppingTimestamp;
    }

    /** A whole-partition split. */
    public static TributarySplit of(
            TopicPartition tp, long startingOffset, long stoppingOffset, long stoppingTimestamp) {
        return new TributarySplit(tp.topic(), tp.partition(), 0, startingOffset, stoppingOffset, stoppingTimestamp);
    }

    @Override
    public String splitId() {
        return rangeIndex == 0 ? topic + "-" + partition : topic + "-" + partition + "#" + rangeIndex;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public TopicPartition topicPartition() {
        return new TopicPartition(topic, partition);
    }

    public int rangeIndex() {
        return rangeIndex;
    }

    public long startingOffset() {
        return startingOffset;
    }

    public long stoppingOffset() {
        return stoppingOffset;
    }

    public long stoppingTimestamp() {
        return stoppingTimestamp;
    }

    public boolean hasStoppingOffset() {
        return stoppingOffset != NO_STOPPING_OFFSET;
    }

    public boolean hasStoppingTimestamp() {
        return stoppingTimestamp != NO_STOPPING_TIMESTAMP;
    }

    /** True when there is nothing to read: the start is already at or past the stop offset. */
    public boolean isEmptyRange() {
        return hasStoppingOffset() && startingOffset >= stoppingOffset;
    }

    public TributarySplit withStartingOffset(long offset) {
        return new TributarySplit(topic, partition, rangeIndex, offset, stoppingOffset, stoppingTimestamp);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TributarySplit)) {
            return false;
        }
        TributarySplit s = (TributarySplit) o;
        return partition == s.partition
                && rangeIndex == s.rangeIndex
                && startingOffset == s.startingOffset
                && stoppingOffset == s.stoppingOffset
                && stoppingTimestamp == s.stoppingTimestamp
                && topic.equals(s.topic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, rangeIndex, startingOffset, stoppingOffset, stoppingTimestamp);
    }

    @Override
    public String toString() {
        return "TributarySplit{" + splitId() + " [" + startingOffset + ", "
                + (hasStoppingOffset() ? String.valueOf(stoppingOffset) : "∞") + ")"
                + (hasStoppingTimestamp() ? " until ts " + stoppingTimestamp : "") + "}";
    }
}
