package dev.tributary.spark.offsets;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The offset range of each partition for one micro-batch, from the batch's start and end positions as
 * Spark hands them back (both were chosen earlier by {@link MicroBatchPlanner}, possibly before a
 * restart). Pure logic; the stream supplies the log start offsets it asked the broker for.
 *
 * <p>Every partition of the end position gets a range; a partition only in the start position was
 * dropped by the planner (it disappeared) and gets none. Between choosing the end and planning, the
 * log may have moved, so each range passes {@link DataLossPolicy}:
 *
 * <ul>
 *   <li>a partition not in the start position is new to the query and is read from offset 0: if its log
 *       starts later, those first records are lost;</li>
 *   <li>a start below the log start: the records in between are lost;</li>
 *   <li>an end before the start: offsets went backwards, and the partition reads nothing in this batch
 *       (the planner already moved the position back to the log's end).</li>
 * </ul>
 */
public final class MicroBatchRanges {
    private MicroBatchRanges() {}

    /** @param logStart the log start offset of every partition of {@code end} */
    public static List<OffsetRange> plan(
            PartitionOffsets start, PartitionOffsets end, PartitionOffsets logStart, DataLossPolicy dataLoss) {
        List<OffsetRange> out = new ArrayList<>();
        for (TopicPartition tp : end.partitions()) {
            long until = end.get(tp);
            long from;
            if (!start.contains(tp)) {
                from = dataLoss.newPartitionStart(tp, logStart.get(tp), until);
            } else {
                from = start.get(tp);
                if (until < from) {
                    dataLoss.offsetsWentBackwards(tp, from, until);
                    continue;
                }
                from = dataLoss.startBelowLogStart(tp, from, logStart.get(tp), until);
            }
            out.add(new OffsetRange(tp, from, until));
        }
        return out;
    }
}
