package dev.tributary.spark.offsets;

import dev.tributary.spark.TributaryErrors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code failOnDataLoss} policy, written down once and enforced here for every path that can
 * notice lost offsets: batch planning ({@link BatchRanges}), micro-batch admission
 * ({@link MicroBatchPlanner}), micro-batch planning ({@link MicroBatchRanges}) and the executors'
 * reader. Pure logic: the callers bring the offsets they got from the broker.
 *
 * <p>A log loses offsets in four ways; each row says how it is noticed and what happens.
 *
 * <table>
 *   <caption>data-loss cases</caption>
 *   <tr><th>case</th><th>noticed when</th><th>failOnDataLoss=true (default)</th>
 *       <th>failOnDataLoss=false</th></tr>
 *   <tr><td>records were deleted (retention, DeleteRecords) before the query read them</td>
 *       <td>the next offset to read is below the partition's log start offset</td>
 *       <td>TRIBUTARY_DATA_LOSS naming the partition and the lost interval</td>
 *       <td>reading continues at the log start; the interval counts in the {@code offsetsLost}
 *       source metric</td></tr>
 *   <tr><td>a partition that appeared while the query ran lost its first records before the query
 *       saw it</td>
 *       <td>the new partition's log does not start at offset 0</td>
 *       <td>as above, for {@code [0, logStart)}</td>
 *       <td>as above</td></tr>
 *   <tr><td>a partition the query was reading no longer exists (its topic was deleted)</td>
 *       <td>it is in the query's position but not in the broker's metadata</td>
 *       <td>TRIBUTARY_DATA_LOSS naming the partition</td>
 *       <td>the partition is dropped from the query's position</td></tr>
 *   <tr><td>offsets went backwards (the topic was deleted and created again)</td>
 *       <td>the partition's log ends before the query's position</td>
 *       <td>TRIBUTARY_DATA_LOSS naming the partition, the position and the new end</td>
 *       <td>the position moves back to the log's new end; what the log holds below it is not
 *       read, since the query cannot tell new records from ones it already read</td></tr>
 * </table>
 *
 * <p>Failing is the default because a pipeline that silently skips records it was meant to process
 * is harder to notice, and to repair, than one that stops. With {@code failOnDataLoss=false} each
 * case is logged as a warning once per interval (Spark may plan the same batch twice, for instance
 * after a restart) and counted once.
 *
 * <p>Not data loss: a gap in offsets inside the log (compaction, transaction markers). Readers skip
 * those without asking this policy.
 */
public final class DataLossPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(DataLossPolicy.class);

    private final boolean failOnDataLoss;
    private final Set<OffsetRange> lost = new HashSet<>();
    private final Set<List<Object>> warned = new HashSet<>();
    private long lostOffsets;

    public DataLossPolicy(boolean failOnDataLoss) {
        this.failOnDataLoss = failOnDataLoss;
    }

    public boolean failOnDataLoss() {
        return failOnDataLoss;
    }

    /**
     * Case 1: the next offset to read, {@code from}, is below the log start.
     *
     * @param until where the range being planned ends; the lost interval is never reported past it
     * @return where to read from instead: the log start, or {@code until} if the whole range is gone
     */
    public long startBelowLogStart(TopicPartition tp, long from, long logStart, long until) {
        if (from >= logStart) {
            return from;
        }
        long lostUntil = Math.min(logStart, until);
        if (failOnDataLoss) {
            throw TributaryErrors.dataLoss(tp, from, lostUntil, "the log now starts at " + logStart);
        }
        count(new OffsetRange(tp, from, lostUntil), "the log now starts at " + logStart);
        return lostUntil;
    }

    /**
     * Case 2: a partition new to the query starts reading at its log start; if that is not offset 0,
     * its first records were deleted before the query saw the partition.
     *
     * @return where the new partition's range starts
     */
    public long newPartitionStart(TopicPartition tp, long logStart, long until) {
        if (logStart <= 0) {
            return 0;
        }
        long lostUntil = Math.min(logStart, until);
        if (failOnDataLoss) {
            throw TributaryErrors.dataLoss(
                    tp, 0, lostUntil, "the partition is new to the query and its log starts at " + logStart);
        }
        count(new OffsetRange(tp, 0, lostUntil), "the partition is new to the query and its log starts at " + logStart);
        return lostUntil;
    }

    /** Case 3: {@code tp} is in the query's position but no longer in the broker's metadata. */
    public void partitionGone(TopicPartition tp) {
        if (failOnDataLoss) {
            throw TributaryErrors.partitionLost(tp);
        }
        if (warned.add(List.of("gone", tp))) {
            LOG.warn("{} no longer exists; dropping it from the query because failOnDataLoss=false", tp);
        }
    }

    /**
     * Case 4: the log of {@code tp} ends at {@code logEnd}, before the query's {@code position}.
     *
     * @return where the query continues: the log's new end
     */
    public long offsetsWentBackwards(TopicPartition tp, long position, long logEnd) {
        if (logEnd >= position) {
            return position;
        }
        if (failOnDataLoss) {
            throw TributaryErrors.offsetsWentBackwards(tp, position, logEnd);
        }
        if (warned.add(List.of("backwards", tp, position, logEnd))) {
            LOG.warn(
                    "{}: the log now ends at {}, before the query's position {} (recreated topic?); continuing at {}"
                            + " because failOnDataLoss=false",
                    tp,
                    logEnd,
                    position,
                    logEnd);
        }
        return logEnd;
    }

    /**
     * A reader's fetch at {@code position} was refused as out of range: case 1 when the position is
     * below the log start, case 4 when it is past the log end.
     *
     * @return the offset to continue reading at; {@code until} or more when nothing of the range is left
     */
    public long resumeAfterOutOfRange(TopicPartition tp, long position, long logStart, long logEnd, long until) {
        if (position < logStart) {
            return startBelowLogStart(tp, position, logStart, until);
        }
        if (position > logEnd) {
            offsetsWentBackwards(tp, position, logEnd);
            return until; // what is below the new end was not written for this range: the range is done
        }
        return position; // the log moved while the fetch was in flight: try again where we are
    }

    /** Offsets counted as lost so far (each interval once), for the {@code offsetsLost} metric. */
    public long lostOffsets() {
        return lostOffsets;
    }

    private void count(OffsetRange range, String why) {
        if (lost.add(range)) {
            lostOffsets += range.size();
            LOG.warn(
                    "{}: offsets [{}, {}) are lost ({}); continuing at {} because failOnDataLoss=false",
                    range.topicPartition(),
                    range.from(),
                    range.until(),
                    why,
                    range.until());
        }
    }
}
