package dev.tributary.log;

import java.util.List;

/**
 * Decides which segments retention deletes; pure logic with no I/O, so it is tested without files.
 *
 * <p>Only a prefix of whole, inactive segments can go (the last segment, the active one, always stays), for three
 * reasons checked in this order, the largest prefix winning:
 * <ol>
 *   <li>log start offset: every offset of the segment is below the log start offset (deleteRecords);</li>
 *   <li>time ({@code retention.ms} &ge; 0): the segment's largest timestamp is older than now - retention.ms;</li>
 *   <li>size ({@code retention.bytes} &ge; 0): dropping the segment keeps the partition at or above the limit.</li>
 * </ol>
 * Time and size apply only when {@code cleanup.policy} contains {@code delete}.
 */
public final class RetentionPolicy {
    private RetentionPolicy() {}

    /** What retention needs to know about one segment. */
    public record SegmentStats(long baseOffset, long sizeInBytes, long largestTimestamp) {}

    public enum Reason {
        NONE,
        LOG_START_OFFSET,
        TIME,
        SIZE
    }

    /** Delete the first {@code segments} segments, for {@code reason}. */
    public record Decision(int segments, Reason reason) {}

    /**
     * @param segments oldest first; the last one is the active segment
     */
    public static Decision decide(List<SegmentStats> segments, LogConfig config, long nowMs, long logStartOffset) {
        int inactive = segments.size() - 1;
        int byStart = 0;
        while (byStart < inactive && segments.get(byStart + 1).baseOffset() <= logStartOffset) {
            byStart++;
        }
        int byTime = 0;
        int bySize = 0;
        if (config.delete()) {
            if (config.retentionMs() >= 0) {
                while (byTime < inactive && nowMs - segments.get(byTime).largestTimestamp() > config.retentionMs()) {
                    byTime++;
                }
            }
            if (config.retentionBytes() >= 0) {
                long total = 0;
                for (SegmentStats s : segments) {
                    total += s.sizeInBytes();
                }
                long excess = total - config.retentionBytes();
                while (bySize < inactive && excess - segments.get(bySize).sizeInBytes() >= 0) {
                    excess -= segments.get(bySize).sizeInBytes();
                    bySize++;
                }
            }
        }
        int max = Math.max(byStart, Math.max(byTime, bySize));
        if (max == 0) {
            return new Decision(0, Reason.NONE);
        }
        Reason reason = max == byStart ? Reason.LOG_START_OFFSET : max == byTime ? Reason.TIME : Reason.SIZE;
        return new Decision(max, reason);
    }
}
