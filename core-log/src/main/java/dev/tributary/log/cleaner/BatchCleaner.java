package dev.tributary.log.cleaner;

import static dev.tributary.log.record.RecordBatch.*;

import dev.tributary.log.CorruptRecordException;
import dev.tributary.log.LogConfig.TimestampType;
import dev.tributary.log.internal.GrowableBuffer;
import dev.tributary.log.internal.Varints;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Cleans one v2 batch against the offset map: decides which records stay and writes the batch that replaces it.
 *
 * <p>Rules for a record in a batch below the cleaning point:
 * <ol>
 *   <li>no key: removed (a compacted log is keyed; the broker rejects keyless produce, this drops records written
 *       before the topic became compacted);</li>
 *   <li>the map holds a later offset for its key: removed (superseded);</li>
 *   <li>a tombstone (null value) that is its key's latest record: kept until the batch's delete horizon has passed.
 *       A batch that keeps tombstones and has no horizon yet gets {@code now + delete.retention.ms} (attribute bit 6,
 *       the horizon stored as the base timestamp, as in Kafka's v2 format), so a consumer that read the old value has
 *       delete.retention.ms to see the deletion too;</li>
 *   <li>otherwise kept, at its original offset.</li>
 * </ol>
 *
 * <p>The replacement keeps the batch's base offset, lastOffsetDelta (so its last offset and last sequence stay what
 * the producer's idempotence state expects), leader epoch, producer id, epoch, base sequence, transactional flag and
 * timestamp type, and is recompressed with the batch's own codec. Offsets inside it have gaps. A batch that loses
 * every record disappears, unless the caller needs it kept ({@code keepEvenIfEmpty}: a producer's last batch, or the
 * last batch of a segment group whose end offset the swap recovery relies on): then only the 61-byte header remains,
 * with recordCount 0, exactly as Kafka writes it. Control batches and batches at or above the cleaning point are
 * copied unchanged. A batch nothing changes in is copied byte for byte without decompressing twice.
 *
 * <p>Not thread-safe; one per cleaner thread. Reuses its buffers across batches.
 */
final class BatchCleaner {
    enum Outcome {
        COPIED,
        REWRITTEN,
        EMPTIED,
        DROPPED
    }

    private final GrowableBuffer decompressed = new GrowableBuffer(64 * 1024);
    private final GrowableBuffer retained = new GrowableBuffer(64 * 1024);
    private final Varints.Cursor cursor = new Varints.Cursor();
    private ByteBuffer out = ByteBuffer.allocate(64 * 1024);
    // per-record extents of the batch being cleaned, grown to the largest batch seen
    private int[] recordStart = new int[0];
    private int[] recordEnd = new int[0];
    private int[] keyLen = new int[0];
    private int[] valueLen = new int[0];
    private int[] offsetDelta = new int[0];
    private long[] tsDelta = new long[0];
    private long[] latest = new long[0];
    private long[] digests = new long[0];

    // results of the last clean() call
    private ByteBuffer output;
    private long outputMaxTimestamp;
    int recordsRead;
    int recordsRetained;
    int tombstonesRemoved;
    int keylessRemoved;

    /** The replacement batch of the last call (valid until the next), for COPIED, REWRITTEN and EMPTIED. */
    ByteBuffer output() {
        return output;
    }

    long outputMaxTimestamp() {
        return outputMaxTimestamp;
    }

    /** Puts every keyed record of a (non-control) batch into the map; the caller checked the map has room. */
    void addToMap(RecordBatch batch, OffsetMap map, String source) {
        ByteBuffer records = records(batch, source);
        int n = parse(batch, records, map, source);
        long baseOffset = batch.baseOffset();
        for (int i = 0; i < n; i++) {
            if (keyLen[i] >= 0) {
                map.put(digests[2 * i], digests[2 * i + 1], baseOffset + offsetDelta[i]);
            }
        }
    }

    /**
     * Parses the records' extents into the per-record arrays and digests every key. Parsing (and hashing) the whole
     * batch before touching the map lets the map's cache misses overlap.
     *
     * @return the number of records parsed
     */
    private int parse(RecordBatch batch, ByteBuffer records, OffsetMap map, String source) {
        int count = batch.recordCount();
        ensureArrays(count);
        Varints.Cursor c = cursor.reset(0, records.limit());
        int n = 0;
        try {
            for (; n < count && c.pos < c.limit; n++) {
                int start = c.pos;
                int len = Varints.readVarint(records, c);
                int end = c.pos + len;
                checkBounds(len, end, c.limit, source, batch);
                c.pos++; // attributes
                tsDelta[n] = Varints.readVarlong(records, c);
                offsetDelta[n] = Varints.readVarint(records, c);
                int kl = Varints.readVarint(records, c);
                keyLen[n] = kl;
                if (kl >= 0) {
                    map.digest(records, c.pos, kl, digests, n);
                    c.pos += kl;
                }
                valueLen[n] = Varints.readVarint(records, c);
                recordStart[n] = start;
                recordEnd[n] = end;
                c.pos = end;
            }
        } catch (Varints.MalformedVarintException e) {
            throw new CorruptRecordException("malformed record: " + e.getMessage(), source, batch.baseOffset(), -1);
        }
        return n;
    }

    private void ensureArrays(int count) {
        if (recordStart.length < count) {
            int size = Math.max(count, recordStart.length * 2);
            recordStart = new int[size];
            recordEnd = new int[size];
            keyLen = new int[size];
            valueLen = new int[size];
            offsetDelta = new int[size];
            tsDelta = new long[size];
            latest = new long[size];
            digests = new long[2 * size];
        }
    }

    /**
     * Cleans {@code batch}.
     *
     * @param keepEvenIfEmpty keep at least the header when every record goes
     * @param copyUnchanged   a control batch or one at or above the cleaning point: copied as it is
     */
    Outcome clean(
            RecordBatch batch,
            OffsetMap map,
            long nowMs,
            long deleteRetentionMs,
            boolean keepEvenIfEmpty,
            String source,
            boolean copyUnchanged) {
        recordsRead = 0;
        recordsRetained = 0;
        tombstonesRemoved = 0;
        keylessRemoved = 0;
        int count = batch.recordCount();
        if (copyUnchanged) {
            recordsRead = count;
            return copy(batch);
        }
        if (count == 0) {
            // an empty batch left by an earlier cleaning
            return keepEvenIfEmpty ? copy(batch) : Outcome.DROPPED;
        }
        ByteBuffer records = records(batch, source);
        long baseOffset = batch.baseOffset();
        long baseTimestamp = batch.baseTimestamp();
        boolean hasHorizon = batch.hasDeleteHorizon();
        boolean horizonPassed = hasHorizon && nowMs >= batch.deleteHorizonMs();
        int n = parse(batch, records, map, source);
        for (int i = 0; i < n; i++) {
            latest[i] = keyLen[i] < 0 ? -1 : map.get(digests[2 * i], digests[2 * i + 1]);
        }
        // decide, copying the kept records' raw bytes into `retained`
        retained.clear();
        int tombstonesKept = 0;
        long maxTs = NO_TIMESTAMP;
        for (int i = 0; i < n; i++) {
            recordsRead++;
            if (keyLen[i] < 0) {
                keylessRemoved++;
                continue;
            }
            if (latest[i] > baseOffset + offsetDelta[i]) {
                continue; // superseded
            }
            if (valueLen[i] < 0) {
                if (horizonPassed) {
                    tombstonesRemoved++;
                    continue;
                }
                tombstonesKept++;
            }
            recordsRetained++;
            long ts = baseTimestamp + tsDelta[i];
            if (ts > maxTs) {
                maxTs = ts;
            }
            retained.write(records.array(), records.arrayOffset() + recordStart[i], recordEnd[i] - recordStart[i]);
        }
        boolean newHorizon = !hasHorizon && tombstonesKept > 0;
        if (recordsRetained == count && !newHorizon) {
            return copy(batch);
        }
        if (recordsRetained == 0) {
            if (!keepEvenIfEmpty) {
                return Outcome.DROPPED;
            }
            writeEmpty(batch);
            return Outcome.EMPTIED;
        }
        ByteBuffer body = retained.view();
        long newBase = baseTimestamp;
        if (newHorizon) {
            newBase = nowMs + deleteRetentionMs;
            body = rebase(body, baseTimestamp, newBase);
        }
        Codec codec = batch.codec();
        if (codec != Codec.NONE) {
            body = codec.compress(body);
        }
        boolean logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
        long maxTimestamp = logAppendTime ? batch.maxTimestamp() : maxTs;
        int attributes = batch.attributes() | (hasHorizon || newHorizon ? DELETE_HORIZON_MASK : 0);
        writeHeaderAndBody(batch, attributes, newBase, maxTimestamp, recordsRetained, body);
        return Outcome.REWRITTEN;
    }

    private static void checkBounds(int len, int end, int limit, String source, RecordBatch batch) {
        if (len < 1 || end > limit) {
            throw new CorruptRecordException("record length out of bounds", source, batch.baseOffset(), len);
        }
    }

    private Outcome copy(RecordBatch batch) {
        output = batch.slice();
        outputMaxTimestamp = batch.maxTimestamp();
        recordsRetained = batch.recordCount();
        return Outcome.COPIED;
    }

    /** The uncompressed records section as a heap buffer. */
    private ByteBuffer records(RecordBatch batch, String source) {
        Codec codec = batch.codec();
        if (codec == null) {
            throw new CorruptRecordException(
                    "unknown compression codec", source, batch.baseOffset(), batch.attributes() & CODEC_MASK);
        }
        if (codec == Codec.NONE) {
            return batch.rawRecords();
        }
        decompressed.clear();
        try {
            codec.decompress(batch.rawRecords(), decompressed);
        } catch (IOException e) {
            throw new CorruptRecordException(
                    codec.kafkaName() + " records do not decompress: " + e.getMessage(),
                    source,
                    batch.baseOffset(),
                    codec.kafkaName());
        }
        return decompressed.view();
    }

    /** Re-encodes each record's timestamp delta against a new base timestamp (the delete horizon). */
    private ByteBuffer rebase(ByteBuffer src, long oldBase, long newBase) {
        ByteBuffer dst = ByteBuffer.allocate(src.remaining() + 16 * recordsRetained);
        Varints.Cursor c = new Varints.Cursor().reset(0, src.limit());
        while (c.pos < c.limit) {
            int len = Varints.readVarint(src, c);
            int end = c.pos + len;
            byte attrs = src.get(c.pos++);
            int deltaStart = c.pos;
            long tsDelta = Varints.readVarlong(src, c);
            int rest = c.pos;
            long newDelta = oldBase + tsDelta - newBase;
            int newLen = len - (rest - deltaStart) + Varints.sizeOfVarlong(newDelta);
            if (dst.remaining() < newLen + 5) {
                ByteBuffer grown = ByteBuffer.allocate(dst.capacity() * 2 + newLen + 5);
                dst.flip();
                grown.put(dst);
                dst = grown;
            }
            Varints.writeVarint(newLen, dst);
            dst.put(attrs);
            Varints.writeVarlong(newDelta, dst);
            dst.put(src.array(), src.arrayOffset() + rest, end - rest);
            c.pos = end;
        }
        return dst.flip();
    }

    /**
     * An empty batch keeps the original max timestamp (as Kafka's cleaner writes it): retention by time measures a
     * segment by its largest timestamp, and a segment left holding only empty batches must still age. The price:
     * Kafka's DumpLogSegments --verify-index-only reports a time index entry naming an empty batch as a mismatch
     * against "log timestamp -1", since it looks at record timestamps; Kafka's own compacted logs show the same.
     */
    private void writeEmpty(RecordBatch batch) {
        int attributes = batch.attributes() & (TIMESTAMP_TYPE_MASK | TRANSACTIONAL_MASK | CONTROL_MASK);
        writeHeaderAndBody(batch, attributes, batch.maxTimestamp(), batch.maxTimestamp(), 0, ByteBuffer.allocate(0));
    }

    private void writeHeaderAndBody(
            RecordBatch batch, int attributes, long baseTimestamp, long maxTimestamp, int count, ByteBuffer body) {
        int size = HEADER_SIZE + body.remaining();
        if (out.capacity() < size) {
            out = ByteBuffer.allocate(Math.max(size, out.capacity() * 2));
        }
        ByteBuffer b = out.clear();
        b.putLong(BASE_OFFSET_OFFSET, batch.baseOffset());
        b.putInt(LENGTH_OFFSET, size - LOG_OVERHEAD);
        b.putInt(PARTITION_LEADER_EPOCH_OFFSET, batch.partitionLeaderEpoch());
        b.put(MAGIC_OFFSET, MAGIC);
        b.putShort(ATTRIBUTES_OFFSET, (short) attributes);
        b.putInt(LAST_OFFSET_DELTA_OFFSET, batch.lastOffsetDelta());
        b.putLong(BASE_TIMESTAMP_OFFSET, baseTimestamp);
        b.putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp);
        b.putLong(PRODUCER_ID_OFFSET, batch.producerId());
        b.putShort(PRODUCER_EPOCH_OFFSET, batch.producerEpoch());
        b.putInt(BASE_SEQUENCE_OFFSET, batch.baseSequence());
        b.putInt(RECORDS_COUNT_OFFSET, count);
        b.position(RECORDS_OFFSET);
        b.put(body);
        b.flip();
        RecordBatch written = new RecordBatch().wrap(b, 0);
        b.putInt(CRC_OFFSET, (int) written.computeCrc());
        output = b;
        outputMaxTimestamp = maxTimestamp;
    }
}
