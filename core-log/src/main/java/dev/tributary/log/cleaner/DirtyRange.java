package dev.tributary.log.cleaner;

import dev.tributary.log.LogConfig;
import java.util.List;

/**
 * Which part of a log the cleaner may clean now, and how dirty it is. Pure arithmetic over segment summaries,
 * no I/O, so every rule is tested without files.
 *
 * <pre>
 * logStart        firstDirty              firstUncleanable        active segment base
 *    |---- clean ----|------ cleanable ------|--- too young ---|------ active ------|
 * </pre>
 *
 * <ul>
 *   <li>firstDirtyOffset: the cleaner checkpoint, or the log start offset when the checkpoint is missing, below the
 *       log start (retention moved past it) or above the log end (the log was truncated or recreated).</li>
 *   <li>firstUncleanableOffset: the active segment is never cleaned (it is still being written), and neither is
 *       any segment from the first one holding a record newer than {@code min.compaction.lag.ms}: a consumer is
 *       promised to see every record for at least that long.</li>
 *   <li>dirty ratio = cleanable bytes / (clean + cleanable bytes); the segment holding firstDirtyOffset counts as
 *       cleanable.</li>
 *   <li>{@code max.compaction.lag.ms}: when the oldest dirty record is older than that, the log is cleaned even
 *       below {@code min.cleanable.dirty.ratio}.</li>
 * </ul>
 *
 * @param firstDirtyOffset       where the dirty section starts
 * @param firstUncleanableOffset where cleaning must stop (exclusive)
 * @param cleanBytes             bytes of segments entirely below firstDirtyOffset
 * @param cleanableBytes         bytes of segments in [firstDirtyOffset, firstUncleanableOffset)
 * @param maxLagExceeded         the oldest cleanable record is older than {@code max.compaction.lag.ms}
 */
public record DirtyRange(
        long firstDirtyOffset,
        long firstUncleanableOffset,
        long cleanBytes,
        long cleanableBytes,
        boolean maxLagExceeded) {

    /**
     * What the decision needs about one segment.
     *
     * @param firstBatchTimestamp the first batch's max timestamp (its age for max.compaction.lag.ms), -1 unknown
     */
    public record SegmentInfo(long baseOffset, long sizeInBytes, long largestTimestamp, long firstBatchTimestamp) {}

    /** cleanable / (clean + cleanable), 0 when the log is empty. */
    public double dirtyRatio() {
        long total = cleanBytes + cleanableBytes;
        return total == 0 ? 0 : (double) cleanableBytes / total;
    }

    /** True when there is something to clean and either the ratio or the max lag asks for it. */
    public boolean needsCleaning(double minCleanableDirtyRatio) {
        return cleanableBytes > 0
                && firstUncleanableOffset > firstDirtyOffset
                && (maxLagExceeded || dirtyRatio() >= minCleanableDirtyRatio);
    }

    /**
     * @param segments        oldest first; the last one is the active segment
     * @param checkpoint      the cleaner checkpoint for this log, -1 when it has none
     * @param logEndOffset    the log end offset
     */
    public static DirtyRange of(
            List<SegmentInfo> segments,
            long logStartOffset,
            long logEndOffset,
            long checkpoint,
            LogConfig config,
            long nowMs) {
        long firstDirty = checkpoint < logStartOffset || checkpoint > logEndOffset ? logStartOffset : checkpoint;
        int n = segments.size();
        if (n == 0) {
            return new DirtyRange(firstDirty, firstDirty, 0, 0, false);
        }
        long firstUncleanable = segments.get(n - 1).baseOffset();
        long clean = 0;
        long cleanable = 0;
        boolean maxLag = false;
        boolean firstDirtySegment = true;
        long youngest = nowMs - config.minCompactionLagMs();
        for (int i = 0; i < n - 1; i++) {
            SegmentInfo s = segments.get(i);
            long nextBase = segments.get(i + 1).baseOffset();
            if (nextBase <= firstDirty) {
                clean += s.sizeInBytes();
                continue;
            }
            if (s.baseOffset() >= firstUncleanable) {
                break;
            }
            if (config.minCompactionLagMs() > 0 && s.largestTimestamp() > youngest) {
                firstUncleanable = Math.max(firstDirty, s.baseOffset());
                break;
            }
            if (firstDirtySegment) {
                firstDirtySegment = false;
                long age = s.firstBatchTimestamp() >= 0 ? s.firstBatchTimestamp() : s.largestTimestamp();
                maxLag = config.maxCompactionLagMs() != Long.MAX_VALUE
                        && age >= 0
                        && nowMs - age > config.maxCompactionLagMs();
            }
            cleanable += s.sizeInBytes();
        }
        if (firstUncleanable < firstDirty) {
            firstUncleanable = firstDirty;
        }
        if (firstUncleanable == firstDirty) {
            cleanable = 0;
            maxLag = false;
        }
        return new DirtyRange(firstDirty, firstUncleanable, clean, cleanable, maxLag);
    }
}
