package dev.tributary.log.record;

import static dev.tributary.log.record.RecordBatch.*;

import dev.tributary.log.LogConfig.TimestampType;
import dev.tributary.log.internal.Varints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds one v2 record batch: set the header fields, {@link #append} records, then {@link #build()}.
 * The base timestamp is the first record's timestamp, as Kafka's producer writes it; the CRC is computed last.
 * Records are encoded into a growing heap buffer and compressed as one block when the codec is not none.
 *
 * <pre>{@code
 * ByteBuffer batch = RecordBatchBuilder.create(Codec.ZSTD)
 *     .producer(42L, (short) 0, 0)
 *     .append(now, key, value, Header.of("trace", "abc"))
 *     .build();
 * }</pre>
 */
public final class RecordBatchBuilder {
    private static final Header[] NO_HEADERS = new Header[0];

    private final Codec codec;
    private long baseOffset;
    private int partitionLeaderEpoch = NO_PARTITION_LEADER_EPOCH;
    private long producerId = NO_PRODUCER_ID;
    private short producerEpoch = NO_PRODUCER_EPOCH;
    private int baseSequence = NO_SEQUENCE;
    private boolean transactional;
    private boolean control;
    private long deleteHorizonMs = NO_TIMESTAMP;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTime = NO_TIMESTAMP;

    private ByteBuffer records;
    private int count;
    private long baseTimestamp = NO_TIMESTAMP;
    private long maxTimestamp = NO_TIMESTAMP;

    private RecordBatchBuilder(Codec codec, int initialCapacity) {
        this.codec = codec;
        this.records = ByteBuffer.allocate(Math.max(64, initialCapacity));
    }

    public static RecordBatchBuilder create(Codec codec) {
        return new RecordBatchBuilder(codec, 1024);
    }

    public static RecordBatchBuilder create(Codec codec, int initialCapacity) {
        return new RecordBatchBuilder(codec, initialCapacity);
    }

    public RecordBatchBuilder baseOffset(long baseOffset) {
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int epoch) {
        this.partitionLeaderEpoch = epoch;
        return this;
    }

    /** Idempotent/transactional producer fields. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    public RecordBatchBuilder transactional(boolean transactional) {
        this.transactional = transactional;
        return this;
    }

    public RecordBatchBuilder control(boolean control) {
        this.control = control;
        return this;
    }

    /** Marks the batch with a delete horizon (compaction); the horizon becomes the base timestamp. */
    public RecordBatchBuilder deleteHorizonMs(long deleteHorizonMs) {
        this.deleteHorizonMs = deleteHorizonMs;
        return this;
    }

    /** Writes a LogAppendTime batch whose max timestamp is {@code appendTime}. */
    public RecordBatchBuilder logAppendTime(long appendTime) {
        this.timestampType = TimestampType.LOG_APPEND_TIME;
        this.logAppendTime = appendTime;
        return this;
    }

    public int recordCount() {
        return count;
    }

    /** Uncompressed size the batch would have now. */
    public int uncompressedSizeInBytes() {
        return HEADER_SIZE + records.position();
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value) {
        return append(timestamp, wrap(key), wrap(value), NO_HEADERS);
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, Header... headers) {
        return append(timestamp, wrap(key), wrap(value), headers);
    }

    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return append(timestamp, wrap(key), wrap(value), headers.toArray(NO_HEADERS));
    }

    private static ByteBuffer wrap(byte[] b) {
        return b == null ? null : ByteBuffer.wrap(b);
    }

    /**
     * Appends a record with the next offset delta. {@code key} and {@code value} may be null; their remaining
     * bytes are copied, positions untouched.
     */
    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, Header... headers) {
        if (deleteHorizonMs != NO_TIMESTAMP) {
            baseTimestamp = deleteHorizonMs;
        } else if (count == 0) {
            baseTimestamp = timestamp;
        }
        long timestampDelta = timestamp - baseTimestamp;
        int offsetDelta = count;
        int keyLen = key == null ? -1 : key.remaining();
        int valueLen = value == null ? -1 : value.remaining();
        byte[][] headerKeys = headers.length == 0 ? null : new byte[headers.length][];
        int bodySize = 1
                + Varints.sizeOfVarlong(timestampDelta)
                + Varints.sizeOfVarint(offsetDelta)
                + Varints.sizeOfVarint(keyLen)
                + Math.max(0, keyLen)
                + Varints.sizeOfVarint(valueLen)
                + Math.max(0, valueLen)
                + Varints.sizeOfVarint(headers.length);
        for (int i = 0; i < headers.length; i++) {
            byte[] hk = headers[i].key().getBytes(StandardCharsets.UTF_8);
            headerKeys[i] = hk;
            byte[] hv = headers[i].value();
            int hvLen = hv == null ? -1 : hv.length;
            bodySize += Varints.sizeOfVarint(hk.length) + hk.length + Varints.sizeOfVarint(hvLen) + Math.max(0, hvLen);
        }
        ensureRoom(Varints.sizeOfVarint(bodySize) + bodySize);
        ByteBuffer r = records;
        Varints.writeVarint(bodySize, r);
        r.put((byte) 0);
        Varints.writeVarlong(timestampDelta, r);
        Varints.writeVarint(offsetDelta, r);
        Varints.writeVarint(keyLen, r);
        if (key != null) {
            r.put(key.duplicate());
        }
        Varints.writeVarint(valueLen, r);
        if (value != null) {
            r.put(value.duplicate());
        }
        Varints.writeVarint(headers.length, r);
        for (int i = 0; i < headers.length; i++) {
            Varints.writeVarint(headerKeys[i].length, r);
            r.put(headerKeys[i]);
            byte[] hv = headers[i].value();
            Varints.writeVarint(hv == null ? -1 : hv.length, r);
            if (hv != null) {
                r.put(hv);
            }
        }
        count++;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        return this;
    }

    private void ensureRoom(int n) {
        if (records.remaining() < n) {
            ByteBuffer grown = ByteBuffer.allocate(Math.max(records.capacity() * 2, records.position() + n));
            records.flip();
            grown.put(records);
            records = grown;
        }
    }

    /** Builds the batch; the returned buffer holds exactly one batch, position 0. */
    public ByteBuffer build() {
        if (count == 0) {
            throw new IllegalStateException("a v2 batch needs at least one record");
        }
        ByteBuffer uncompressed = records.duplicate().flip();
        ByteBuffer body = codec == Codec.NONE ? uncompressed : codec.compress(uncompressed);
        int size = HEADER_SIZE + body.remaining();
        ByteBuffer out = ByteBuffer.allocate(size);
        int attrs = codec.id();
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attrs |= TIMESTAMP_TYPE_MASK;
        }
        if (transactional) {
            attrs |= TRANSACTIONAL_MASK;
        }
        if (control) {
            attrs |= CONTROL_MASK;
        }
        if (deleteHorizonMs != NO_TIMESTAMP) {
            attrs |= DELETE_HORIZON_MASK;
        }
        out.putLong(BASE_OFFSET_OFFSET, baseOffset);
        out.putInt(LENGTH_OFFSET, size - LOG_OVERHEAD);
        out.putInt(PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        out.put(MAGIC_OFFSET, MAGIC);
        out.putShort(ATTRIBUTES_OFFSET, (short) attrs);
        out.putInt(LAST_OFFSET_DELTA_OFFSET, count - 1);
        out.putLong(BASE_TIMESTAMP_OFFSET, baseTimestamp);
        out.putLong(
                MAX_TIMESTAMP_OFFSET, timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp);
        out.putLong(PRODUCER_ID_OFFSET, producerId);
        out.putShort(PRODUCER_EPOCH_OFFSET, producerEpoch);
        out.putInt(BASE_SEQUENCE_OFFSET, baseSequence);
        out.putInt(RECORDS_COUNT_OFFSET, count);
        out.position(RECORDS_OFFSET);
        out.put(body);
        out.flip();
        RecordBatch batch = RecordBatch.of(out);
        out.putInt(CRC_OFFSET, (int) batch.computeCrc());
        return out;
    }
}
