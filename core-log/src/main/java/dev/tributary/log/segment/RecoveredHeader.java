package dev.tributary.log.segment;

import dev.tributary.log.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * Recovery's first look at a batch header read from a segment file, before it reads and CRC-checks the whole
 * batch: a header that fails here marks the point where the file stops holding whole, valid batches.
 */
final class RecoveredHeader {
    private RecoveredHeader() {}

    /**
     * Whether the header at position 0 of {@code head} can start a batch: a length that fits both the header and
     * what is left of the file, magic 2, a base offset at or after {@code next} (exactly {@code next} when offsets
     * are contiguous), and a last offset the segment's 32-bit relative offsets can express.
     *
     * @param remaining bytes of the file from this header to its end
     */
    static boolean plausible(ByteBuffer head, long remaining, long next, boolean contiguous, long segmentBase) {
        int batchSize = head.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
        long batchBase = head.getLong(RecordBatch.BASE_OFFSET_OFFSET);
        int lastDelta = head.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
        return batchSize >= RecordBatch.HEADER_SIZE
                && batchSize <= remaining
                && head.get(RecordBatch.MAGIC_OFFSET) == RecordBatch.MAGIC
                && batchBase >= next
                && (!contiguous || batchBase == next)
                && lastDelta >= 0
                && batchBase + lastDelta - segmentBase <= Integer.MAX_VALUE;
    }
}
