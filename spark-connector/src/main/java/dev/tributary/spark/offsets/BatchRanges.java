package dev.tributary.spark.offsets;

import dev.tributary.spark.TributaryErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset range of each partition for a batch read: the resolved start and end, narrowed by pushed
 * filters. Pure logic; the scan supplies the offsets it asked the broker for.
 *
 * <p>Data loss: a start below the log start offset (records deleted by retention or DeleteRecords) is
 * {@link DataLossPolicy}'s first case; the policy fails or moves the start up to the log start. A batch
 * read resolves its partitions afresh, so the policy's other cases do not arise here. A start after the
 * end is not data loss but a mistake in the options, and is refused as one.
 */
public final class BatchRanges {
    private BatchRanges() {}

    /**
     * @param timestampFromOffsets first offset with timestamp >= the lower timestamp bound, per partition
     *     (absent: no such record, so nothing qualifies); null when there is no lower timestamp bound
     * @param timestampUntilOffsets first offset with timestamp >= the upper bound (absent: all records are
     *     below it); null when there is no upper bound
     */
    public static List<OffsetRange> compute(
            List<TopicPartition> partitions,
            PartitionOffsets start,
            PartitionOffsets end,
            PartitionOffsets earliest,
            FilterBounds bounds,
            Map<TopicPartition, Long> timestampFromOffsets,
            Map<TopicPartition, Long> timestampUntilOffsets,
            DataLossPolicy dataLoss) {
        List<OffsetRange> out = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            long from = start.get(tp);
            long until = end.get(tp);
            if (from > until) {
                throw TributaryErrors.invalidOption(
                        "startingOffsets/endingOffsets",
                        null,
                        tp + ": the start (" + from + ") is after the end (" + until + ")");
            }
            long logStart = earliest.get(tp);
            from = dataLoss.startBelowLogStart(tp, from, logStart, until);
            from = Math.max(from, bounds.offsetFrom());
            until = Math.min(until, bounds.offsetUntil());
            if (timestampFromOffsets != null) {
                Long f = timestampFromOffsets.get(tp);
                from = f == null ? until : Math.max(from, f);
            }
            if (timestampUntilOffsets != null) {
                Long u = timestampUntilOffsets.get(tp);
                if (u != null) {
                    until = Math.min(until, u);
                }
            }
            if (from < until) {
                out.add(new OffsetRange(tp, from, until));
            }
        }
        return out;
    }
}
