package dev.tributary.log;

import dev.tributary.log.internal.GrowableBuffer;
import dev.tributary.log.record.BatchValidator;
import dev.tributary.log.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * The CPU half of {@link Log#append}, with no I/O: {@link #validate pass 1} checks every batch of a produce
 * request against the format and the log's configuration before anything is written; {@link #assignOffsets
 * pass 2} rewrites the base offsets in place (and stamps LogAppendTime). Splitting the passes keeps the rule
 * "an append that throws left nothing in the log".
 *
 * <p>Results of the last call are read from the accessors ({@link #records()}, {@link #nextOffset()} ...), so an
 * append allocates nothing here. One instance per log, used under the log's lock; the decompression scratch is
 * per appending thread (see {@link #SCRATCH}).
 */
final class LogValidator {
    /**
     * Decompression target of pass 1, one per appending thread rather than per partition, so memory stays bounded
     * by the broker's threads, not its partitions; shrunk back to 8 MiB after an unusually large batch.
     */
    private static final ThreadLocal<GrowableBuffer> SCRATCH =
            ThreadLocal.withInitial(() -> new GrowableBuffer(64 * 1024));

    private static final int SCRATCH_RETAINED_BYTES = 8 << 20;

    private final String name;
    private final RecordBatch flyweight = new RecordBatch();
    private final BatchValidator batchValidator = new BatchValidator();
    private int records;
    private int batchCount;
    private long nextOffset;
    private long maxTimestamp;
    private long offsetOfMaxTimestamp;

    /** @param name {@code topic-partition}, named in every exception */
    LogValidator(String name) {
        this.name = name;
    }

    /**
     * Largest decompressed records section append accepts: 64x the largest batch or 64 MiB, whichever is more.
     * Producers cap records at max.request.size (1 MiB), so real batches stay far below; a zstd bomb does not.
     */
    static int maxDecompressedBytes(LogConfig config) {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(64L << 20, 64L * config.maxMessageBytes()));
    }

    /**
     * Pass 1: checks every batch in {@code batches} (position to limit) and counts records and batches. Positions in
     * exceptions are relative to the buffer's position.
     *
     * @throws CorruptRecordException  bad CRC, wrong magic, impossible length, records not matching the header
     * @throws RecordTooLargeException a batch larger than {@code max.message.bytes}
     * @throws InvalidRecordException  an empty append or batch, offset deltas out of sequence, a max timestamp
     *                                 that disagrees with the records, a record without a key in a compacted log
     */
    void validate(ByteBuffer batches, LogConfig cfg) {
        int start = batches.position();
        int end = batches.limit();
        if (end == start) {
            throw new InvalidRecordException("empty append", name, 0, 0);
        }
        GrowableBuffer scratch = SCRATCH.get().maxSize(maxDecompressedBytes(cfg));
        int recordCount = 0;
        int batchesSeen = 0;
        try {
            for (int p = start; p < end; ) {
                int size = RecordBatch.declaredSize(batches, p, end);
                if (size < RecordBatch.HEADER_SIZE || size > end - p) {
                    throw new CorruptRecordException(
                            "impossible batch length (" + (end - p) + " bytes available)",
                            name,
                            p - start,
                            size < 0 ? end - p : size - RecordBatch.LOG_OVERHEAD);
                }
                if (size > cfg.maxMessageBytes()) {
                    throw new RecordTooLargeException(
                            "batch of " + size + " bytes exceeds max.message.bytes " + cfg.maxMessageBytes(),
                            name,
                            p - start,
                            size);
                }
                RecordBatch b = flyweight.wrap(batches, p);
                BatchValidator.ensureValid(b, name, p - start);
                long maxRecordTs = batchValidator.validateRecords(b, name, p - start, scratch, cfg.compact());
                if (cfg.timestampType() == LogConfig.TimestampType.CREATE_TIME
                        && b.timestampType() == LogConfig.TimestampType.CREATE_TIME
                        && maxRecordTs != b.maxTimestamp()) {
                    throw new InvalidRecordException(
                            "maxTimestamp " + b.maxTimestamp() + " disagrees with the largest record timestamp",
                            name,
                            p - start,
                            maxRecordTs);
                }
                recordCount += b.recordCount();
                batchesSeen++;
                p += size;
            }
        } finally {
            scratch.shrinkIfLargerThan(SCRATCH_RETAINED_BYTES);
        }
        records = recordCount;
        batchCount = batchesSeen;
    }

    /**
     * Pass 2, on batches {@link #validate} accepted: gives them offsets from {@code firstOffset} on by rewriting
     * each base offset in place (outside the CRC), and under LogAppendTime stamps {@code nowMs} and re-CRCs.
     */
    void assignOffsets(ByteBuffer batches, long firstOffset, boolean logAppendTime, long nowMs) {
        long next = firstOffset;
        long maxTs = TimestampOffset.NO_TIMESTAMP;
        long offsetOfMaxTs = -1;
        for (int p = batches.position(); p < batches.limit(); ) {
            RecordBatch b = flyweight.wrap(batches, p);
            b.setBaseOffset(next);
            if (logAppendTime) {
                b.setLogAppendTime(nowMs);
            }
            next = b.lastOffset() + 1;
            if (b.maxTimestamp() > maxTs) {
                maxTs = b.maxTimestamp();
                offsetOfMaxTs = b.lastOffset();
            }
            p += b.sizeInBytes();
        }
        nextOffset = next;
        maxTimestamp = maxTs;
        offsetOfMaxTimestamp = offsetOfMaxTs;
    }

    /**
     * Pass 2 of a leader's append: as {@link #assignOffsets}, and writes {@code leaderEpoch} into every batch's
     * partitionLeaderEpoch field (bytes 12..15, before the magic byte; the CRC covers only the bytes from the
     * attributes on, so it stays valid).
     */
    void assignOffsets(ByteBuffer batches, long firstOffset, boolean logAppendTime, long nowMs, int leaderEpoch) {
        for (int p = batches.position(); p < batches.limit(); ) {
            RecordBatch b = flyweight.wrap(batches, p);
            b.setPartitionLeaderEpoch(leaderEpoch);
            p += b.sizeInBytes();
        }
        assignOffsets(batches, firstOffset, logAppendTime, nowMs);
    }

    /**
     * Pass 2 of a follower's append, on batches {@link #validate} accepted: they keep the offsets and timestamps
     * the leader gave them; checks that they continue this log and fills the same results as {@link
     * #assignOffsets}. The first batch must start at {@code logEndOffset} and each next one right after the
     * previous one; in a compacted log ({@code contiguous} false) the leader's cleaner may have removed whole
     * batches, so there a batch may start anywhere above the previous one's last offset.
     *
     * @throws UnexpectedAppendOffsetException when a batch starts elsewhere
     */
    void checkFollowerOffsets(ByteBuffer batches, long logEndOffset, boolean contiguous) {
        long expected = logEndOffset;
        long maxTs = TimestampOffset.NO_TIMESTAMP;
        long offsetOfMaxTs = -1;
        int start = batches.position();
        for (int p = start; p < batches.limit(); ) {
            RecordBatch b = flyweight.wrap(batches, p);
            long base = b.baseOffset();
            if (contiguous ? base != expected : base < expected) {
                String where = p == start
                        ? "the first fetched batch does not start at the log end offset"
                        : "the batch at byte " + (p - start) + " does not follow the previous batch";
                throw new UnexpectedAppendOffsetException(where, name, expected, base);
            }
            expected = b.lastOffset() + 1;
            if (b.maxTimestamp() > maxTs) {
                maxTs = b.maxTimestamp();
                offsetOfMaxTs = b.lastOffset();
            }
            p += b.sizeInBytes();
        }
        nextOffset = expected;
        maxTimestamp = maxTs;
        offsetOfMaxTimestamp = offsetOfMaxTs;
    }

    /** A flyweight for the segment's indexing of the batches just validated (saves an allocation per append). */
    RecordBatch flyweight() {
        return flyweight;
    }

    /** Records in the batches of the last {@link #validate}. */
    int records() {
        return records;
    }

    /** Batches of the last {@link #validate}. */
    int batchCount() {
        return batchCount;
    }

    /** One past the last offset {@link #assignOffsets} gave. */
    long nextOffset() {
        return nextOffset;
    }

    /** The largest batch max timestamp of the last {@link #assignOffsets}, -1 if none. */
    long maxTimestamp() {
        return maxTimestamp;
    }

    /** The last offset of the batch holding {@link #maxTimestamp()}, -1 if none. */
    long offsetOfMaxTimestamp() {
        return offsetOfMaxTimestamp;
    }
}
