package dev.tributary.log.record;

import dev.tributary.log.CorruptRecordException;
import dev.tributary.log.LogConfig.TimestampType;
import dev.tributary.log.internal.GrowableBuffer;
import dev.tributary.log.internal.Varints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.zip.CRC32C;

/**
 * Flyweight over one Kafka v2 record batch (magic 2) in a {@link ByteBuffer}: every header field is read and
 * written in place at a named offset; nothing is copied into an object. Big-endian, as on the wire and on disk.
 *
 * <pre>
 * offset  size  field
 *      0     8  baseOffset               assigned by the log on append
 *      8     4  batchLength              bytes after this field (= sizeInBytes - 12)
 *     12     4  partitionLeaderEpoch
 *     16     1  magic                    2
 *     17     4  crc                      CRC32C of bytes [21, end)  (attributes .. last record)
 *     21     2  attributes
 *     23     4  lastOffsetDelta
 *     27     8  baseTimestamp            (the delete horizon when attribute bit 6 is set)
 *     35     8  maxTimestamp
 *     43     8  producerId
 *     51     2  producerEpoch
 *     53     4  baseSequence
 *     57     4  recordCount
 *     61     *  records (compressed as one block when the codec is not none)
 *
 * attributes (int16):
 *  15 ...  7     6         5        4          3          2  1  0
 * +---------+----------+--------+---------+----------+----------+
 * | unused  | delete   | control| transac-| timestamp| codec    |
 * |         | horizon  |        | tional  | type     | (0-4)    |
 * +---------+----------+--------+---------+----------+----------+
 * </pre>
 *
 * <p>The CRC starts at the attributes, so the log assigns {@code baseOffset} (and a leader epoch) without
 * recomputing it; only switching to LogAppendTime, which changes attributes and maxTimestamp, re-CRCs.
 *
 * <p>Checking a batch against the format (header, CRC, the records inside) is {@link BatchValidator}'s job; this
 * class only reads and writes fields.
 *
 * <p>Not thread-safe; a flyweight may be re-pointed with {@link #wrap(ByteBuffer, int)}.
 */
public final class RecordBatch implements Iterable<Record> {
    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BASE_OFFSET_LENGTH = 8;
    public static final int LENGTH_OFFSET = BASE_OFFSET_OFFSET + BASE_OFFSET_LENGTH;
    public static final int LENGTH_LENGTH = 4;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = LENGTH_OFFSET + LENGTH_LENGTH;
    public static final int PARTITION_LEADER_EPOCH_LENGTH = 4;
    public static final int MAGIC_OFFSET = PARTITION_LEADER_EPOCH_OFFSET + PARTITION_LEADER_EPOCH_LENGTH;
    public static final int MAGIC_LENGTH = 1;
    public static final int CRC_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    public static final int CRC_LENGTH = 4;
    public static final int ATTRIBUTES_OFFSET = CRC_OFFSET + CRC_LENGTH;
    public static final int ATTRIBUTES_LENGTH = 2;
    public static final int LAST_OFFSET_DELTA_OFFSET = ATTRIBUTES_OFFSET + ATTRIBUTES_LENGTH;
    public static final int LAST_OFFSET_DELTA_LENGTH = 4;
    public static final int BASE_TIMESTAMP_OFFSET = LAST_OFFSET_DELTA_OFFSET + LAST_OFFSET_DELTA_LENGTH;
    public static final int BASE_TIMESTAMP_LENGTH = 8;
    public static final int MAX_TIMESTAMP_OFFSET = BASE_TIMESTAMP_OFFSET + BASE_TIMESTAMP_LENGTH;
    public static final int MAX_TIMESTAMP_LENGTH = 8;
    public static final int PRODUCER_ID_OFFSET = MAX_TIMESTAMP_OFFSET + MAX_TIMESTAMP_LENGTH;
    public static final int PRODUCER_ID_LENGTH = 8;
    public static final int PRODUCER_EPOCH_OFFSET = PRODUCER_ID_OFFSET + PRODUCER_ID_LENGTH;
    public static final int PRODUCER_EPOCH_LENGTH = 2;
    public static final int BASE_SEQUENCE_OFFSET = PRODUCER_EPOCH_OFFSET + PRODUCER_EPOCH_LENGTH;
    public static final int BASE_SEQUENCE_LENGTH = 4;
    public static final int RECORDS_COUNT_OFFSET = BASE_SEQUENCE_OFFSET + BASE_SEQUENCE_LENGTH;
    public static final int RECORDS_COUNT_LENGTH = 4;
    public static final int RECORDS_OFFSET = RECORDS_COUNT_OFFSET + RECORDS_COUNT_LENGTH;
    /** Size of the header before the first record: 61 bytes. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** baseOffset + batchLength: bytes not counted in batchLength. */
    public static final int LOG_OVERHEAD = LENGTH_OFFSET + LENGTH_LENGTH;

    public static final byte MAGIC = 2;
    public static final int CODEC_MASK = 0x07;
    public static final int TIMESTAMP_TYPE_MASK = 0x08;
    public static final int TRANSACTIONAL_MASK = 0x10;
    public static final int CONTROL_MASK = 0x20;
    public static final int DELETE_HORIZON_MASK = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    private ByteBuffer buf;
    private int start;

    public RecordBatch() {}

    /** A flyweight over the batch starting at {@code buf.position()}. */
    public static RecordBatch of(ByteBuffer buf) {
        return new RecordBatch().wrap(buf, buf.position());
    }

    public RecordBatch wrap(ByteBuffer buf, int start) {
        this.buf = buf;
        this.start = start;
        return this;
    }

    public ByteBuffer buffer() {
        return buf;
    }

    /** Index of the batch's first byte in {@link #buffer()}. */
    public int start() {
        return start;
    }

    /**
     * The declared size of the batch at {@code pos} ({@code batchLength + 12}), or -1 when fewer than
     * {@link #LOG_OVERHEAD} bytes remain before {@code limit}.
     */
    public static int declaredSize(ByteBuffer buf, int pos, int limit) {
        if (limit - pos < LOG_OVERHEAD) {
            return -1;
        }
        return buf.getInt(pos + LENGTH_OFFSET) + LOG_OVERHEAD;
    }

    public long baseOffset() {
        return buf.getLong(start + BASE_OFFSET_OFFSET);
    }

    public int batchLength() {
        return buf.getInt(start + LENGTH_OFFSET);
    }

    public int sizeInBytes() {
        return batchLength() + LOG_OVERHEAD;
    }

    public int partitionLeaderEpoch() {
        return buf.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buf.get(start + MAGIC_OFFSET);
    }

    /** The stored CRC as an unsigned value. */
    public long crc() {
        return buf.getInt(start + CRC_OFFSET) & 0xffffffffL;
    }

    public short attributes() {
        return buf.getShort(start + ATTRIBUTES_OFFSET);
    }

    /** The codec, or null when the attribute bits name none of the five. */
    public Codec codec() {
        return Codec.forId(attributes() & CODEC_MASK);
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) != 0 ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_MASK) != 0;
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_MASK) != 0;
    }

    /** The delete horizon set by compaction, or -1. */
    public long deleteHorizonMs() {
        return hasDeleteHorizon() ? baseTimestamp() : NO_TIMESTAMP;
    }

    public int lastOffsetDelta() {
        return buf.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buf.getLong(start + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buf.getLong(start + MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buf.getLong(start + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buf.getShort(start + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buf.getInt(start + BASE_SEQUENCE_OFFSET);
    }

    /** Sequence of the last record, wrapping at Integer.MAX_VALUE as Kafka does; -1 without a sequence. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordCount() {
        return buf.getInt(start + RECORDS_COUNT_OFFSET);
    }

    public RecordBatch setBaseOffset(long offset) {
        buf.putLong(start + BASE_OFFSET_OFFSET, offset);
        return this;
    }

    /** Sets the leader epoch; not covered by the CRC. */
    public RecordBatch setPartitionLeaderEpoch(int epoch) {
        buf.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
        return this;
    }

    /** Stamps the batch with the broker's time (LogAppendTime) and recomputes the CRC, which covers both. */
    public RecordBatch setLogAppendTime(long timestamp) {
        short attrs = (short) (attributes() | TIMESTAMP_TYPE_MASK);
        buf.putShort(start + ATTRIBUTES_OFFSET, attrs);
        buf.putLong(start + MAX_TIMESTAMP_OFFSET, timestamp);
        buf.putInt(start + CRC_OFFSET, (int) computeCrc());
        return this;
    }

    /** CRC32C over attributes through the end of the batch, as declared by batchLength. */
    public long computeCrc() {
        CRC32C crc = new CRC32C();
        int from = start + ATTRIBUTES_OFFSET;
        int to = start + sizeInBytes();
        ByteBuffer view = buf.duplicate();
        view.limit(to).position(from);
        crc.update(view);
        return crc.getValue();
    }

    /** True when the batch fits in its buffer and its stored CRC matches. */
    public boolean isValid() {
        int size = declaredSize(buf, start, buf.limit());
        return size >= HEADER_SIZE && start + size <= buf.limit() && magic() == MAGIC && crc() == computeCrc();
    }

    /** The records section as stored (compressed when the codec is not none), as a slice. */
    public ByteBuffer rawRecords() {
        return buf.slice(start + RECORDS_OFFSET, sizeInBytes() - HEADER_SIZE);
    }

    /** The whole batch as a slice sharing the buffer. */
    public ByteBuffer slice() {
        return buf.slice(start, sizeInBytes());
    }

    /**
     * The uncompressed records section: a slice of the batch for codec none, else decompressed into
     * {@code scratch} (cleared first) and returned as a view of it.
     */
    ByteBuffer recordsSection(GrowableBuffer scratch, String source, long position) {
        Codec codec = codec();
        if (codec == Codec.NONE) {
            return rawRecords();
        }
        if (codec == null) {
            throw new CorruptRecordException("unknown compression codec", source, position, attributes() & CODEC_MASK);
        }
        scratch.clear();
        try {
            codec.decompress(rawRecords(), scratch);
        } catch (IOException e) {
            throw new CorruptRecordException(
                    codec.kafkaName() + " records do not decompress: " + e.getMessage(),
                    source,
                    position,
                    codec.kafkaName());
        }
        return scratch.view();
    }

    /** Iterates the records; a compressed batch is decompressed once, up front. */
    @Override
    public Iterator<Record> iterator() {
        GrowableBuffer scratch = codec() == Codec.NONE ? null : new GrowableBuffer(sizeInBytes() * 4);
        ByteBuffer records = recordsSection(scratch, "batch@" + baseOffset(), baseOffset());
        long baseOffset = baseOffset();
        long baseTimestamp = baseTimestamp();
        boolean logAppendTime = timestampType() == TimestampType.LOG_APPEND_TIME;
        long maxTimestamp = maxTimestamp();
        int count = recordCount();
        return new Iterator<>() {
            final Varints.Cursor c = new Varints.Cursor().reset(0, records.limit());
            final RecordLayout layout = new RecordLayout();
            int read;

            @Override
            public boolean hasNext() {
                return read < count && c.pos < c.limit;
            }

            @Override
            public Record next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    layout.parse(records, c);
                } catch (RecordLayout.Malformed e) {
                    throw new CorruptRecordException(e.getMessage(), "batch@" + baseOffset, baseOffset, e.value);
                }
                read++;
                long ts = logAppendTime ? maxTimestamp : baseTimestamp + layout.timestampDelta;
                return new Record(
                        records,
                        baseOffset + layout.offsetDelta,
                        ts,
                        layout.position,
                        layout.sizeInBytes,
                        layout.attributes,
                        layout.keyPos,
                        layout.keyLength,
                        layout.valuePos,
                        layout.valueLength,
                        layout.headersPos,
                        layout.headerCount);
            }
        };
    }

    /** All records in a list (convenience for tests and tools). */
    public List<Record> records() {
        List<Record> out = new ArrayList<>(Math.max(0, recordCount()));
        forEach(out::add);
        return out;
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", count=" + recordCount()
                + ", size=" + sizeInBytes() + ", codec=" + codec() + ", crc=" + crc() + ")";
    }
}
