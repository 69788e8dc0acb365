package dev.tributary.log.record;

import dev.tributary.log.CorruptRecordException;
import dev.tributary.log.InvalidRecordException;
import dev.tributary.log.internal.GrowableBuffer;
import dev.tributary.log.internal.Varints;
import java.nio.ByteBuffer;

/**
 * Checks one v2 batch against the format, in place in its buffer: the header ({@link #ensureValid}: a length that
 * fits, magic 2, the CRC32C, a known codec) and the records inside ({@link #validateRecords}: count, offset
 * deltas, keys). Used by the log's append validation and by readers that must not trust a file.
 *
 * <p>No I/O. Not thread-safe: an instance keeps the cursor and record layout it reuses for every batch, so a walk
 * over the records allocates nothing; one instance per appending log, used under its lock.
 */
public final class BatchValidator {
    private final Varints.Cursor cursor = new Varints.Cursor();
    private final RecordLayout layout = new RecordLayout();

    /**
     * Checks the header against the buffer: a length that fits, magic 2, a known codec and the CRC.
     *
     * @param source   partition or file named in the exception
     * @param position position of the batch named in the exception (in the appended buffer or the file)
     * @throws CorruptRecordException naming the failed check and its value
     */
    public static void ensureValid(RecordBatch batch, String source, long position) {
        ByteBuffer buf = batch.buffer();
        int available = buf.limit() - batch.start();
        if (available < RecordBatch.HEADER_SIZE) {
            throw new CorruptRecordException("batch shorter than the 61-byte v2 header", source, position, available);
        }
        int size = batch.sizeInBytes();
        if (size < RecordBatch.HEADER_SIZE || size > available) {
            throw new CorruptRecordException(
                    "impossible batch length (" + available + " bytes available)",
                    source,
                    position,
                    batch.batchLength());
        }
        if (batch.magic() != RecordBatch.MAGIC) {
            throw new CorruptRecordException(
                    "unsupported magic byte (only v2 batches)", source, position, batch.magic());
        }
        long stored = batch.crc();
        long computed = batch.computeCrc();
        if (stored != computed) {
            throw new CorruptRecordException("CRC32C mismatch, computed " + computed, source, position, stored);
        }
        if (batch.codec() == null) {
            throw new CorruptRecordException(
                    "unknown compression codec", source, position, batch.attributes() & RecordBatch.CODEC_MASK);
        }
    }

    /** As {@link #validateRecords(RecordBatch, String, long, GrowableBuffer, boolean)} with keys optional. */
    public long validateRecords(RecordBatch batch, String source, long position, GrowableBuffer scratch) {
        return validateRecords(batch, source, position, scratch, false);
    }

    /**
     * Walks every record (decompressing into {@code scratch} if needed) without allocating per record and checks
     * that the records exactly fill the batch, that their number is {@code recordCount}, that
     * {@code lastOffsetDelta} is {@code recordCount - 1} and that offset deltas run 0, 1, 2 ... With
     * {@code requireKeys} (compacted topics) a record without a key is refused, as in Kafka.
     *
     * @return the largest record timestamp (base timestamp + delta), -1 if none is set
     * @throws CorruptRecordException for structural damage or a count mismatch
     * @throws InvalidRecordException for offset deltas out of sequence, an empty batch, or a missing key
     */
    public long validateRecords(
            RecordBatch batch, String source, long position, GrowableBuffer scratch, boolean requireKeys) {
        int count = batch.recordCount();
        if (count <= 0) {
            throw new InvalidRecordException("batch has no records", source, position, count);
        }
        if (batch.lastOffsetDelta() != count - 1) {
            throw new CorruptRecordException(
                    "lastOffsetDelta does not match recordCount " + count, source, position, batch.lastOffsetDelta());
        }
        ByteBuffer records = batch.recordsSection(scratch, source, position);
        Varints.Cursor c = cursor.reset(0, records.limit());
        boolean keysRequired = requireKeys && !batch.isControlBatch();
        long baseTimestamp = batch.baseTimestamp();
        long maxTimestamp = RecordBatch.NO_TIMESTAMP;
        int n = 0;
        boolean array = records.hasArray();
        byte[] a = array ? records.array() : null;
        int base = array ? records.arrayOffset() : 0;
        try {
            while (c.pos < c.limit) {
                if (n == count) {
                    throw new CorruptRecordException("bytes remain after recordCount records", source, position, count);
                }
                if (array) {
                    layout.parse(a, base, c);
                } else {
                    layout.parse(records, c);
                }
                if (layout.offsetDelta != n) {
                    throw new InvalidRecordException(
                            "record offset delta out of sequence, expected " + n, source, position, layout.offsetDelta);
                }
                if (keysRequired && layout.keyLength < 0) {
                    throw new InvalidRecordException(
                            "compacted topic requires a key; record " + n + " has none", source, position, "null key");
                }
                long ts = baseTimestamp + layout.timestampDelta;
                if (ts > maxTimestamp) {
                    maxTimestamp = ts;
                }
                n++;
            }
        } catch (RecordLayout.Malformed e) {
            throw new CorruptRecordException(
                    e.getMessage() + " at byte " + e.position + " of the records", source, position, e.value);
        }
        if (n != count) {
            throw new CorruptRecordException(
                    "recordCount disagrees with the " + n + " records present", source, position, count);
        }
        return maxTimestamp;
    }
}
