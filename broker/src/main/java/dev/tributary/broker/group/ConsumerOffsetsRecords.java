package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys and values of records in the internal topic {@code __consumer_offsets}: our own format, not
 * Kafka's. The topic is compacted, so the key names what a record is about and the latest value per key
 * wins; a null value (tombstone) deletes.
 *
 * <h2>Key (big-endian)</h2>
 * <pre>
 *  +-----------+--------------------------------------------------------------+
 *  | type int16| OFFSET (1): group string | topic string | partition int32     |
 *  |           | GROUP  (2): group string                                      |
 *  +-----------+--------------------------------------------------------------+
 *  string          = length int16, then that many UTF-8 bytes
 *  nullable string = length int16 (-1 for null), then the bytes
 *  bytes           = length int32, then the bytes
 * </pre>
 * The key carries no version: a key must stay byte-identical for compaction to match it, so its layout
 * is frozen; a new kind of record gets a new type.
 *
 * <h2>Values (big-endian), each starting with its version int16</h2>
 * <pre>
 *  OFFSET v1: version=1 | offset int64 | leader epoch int32 | commit timestamp int64 | metadata string
 *  GROUP  v1: version=1 | protocol type string | generation int32 | protocol name nullable string
 *             | leader nullable string | state timestamp int64 | member count int32 | members ...
 *    member:  member id string | instance id nullable string | client id string | client host string
 *             | rebalance timeout int32 | session timeout int32 | subscription bytes | assignment bytes
 * </pre>
 * Readers accept every version up to the one they write; a newer version raises
 * {@link CorruptGroupRecordException} rather than being misread.
 */
public final class ConsumerOffsetsRecords {

    public static final String TOPIC = "__consumer_offsets";

    public static final short KEY_TYPE_OFFSET = 1;
    public static final short KEY_TYPE_GROUP = 2;
    public static final short OFFSET_VALUE_V1 = 1;
    public static final short GROUP_VALUE_V1 = 1;

    private ConsumerOffsetsRecords() {}

    /** A decoded key: what a record is about. */
    public sealed interface Key {
        String groupId();
    }

    public record OffsetKey(String groupId, PartitionId partition) implements Key {}

    public record GroupKey(String groupId) implements Key {}

    // ---------------------------------------------------------------- encode

    public static byte[] offsetKey(String groupId, PartitionId tp) {
        Writer w = new Writer();
        w.int16(KEY_TYPE_OFFSET).string(groupId).string(tp.topic()).int32(tp.partition());
        return w.bytes();
    }

    public static byte[] groupKey(String groupId) {
        Writer w = new Writer();
        w.int16(KEY_TYPE_GROUP).string(groupId);
        return w.bytes();
    }

    public static byte[] offsetValue(CommittedOffset o) {
        Writer w = new Writer();
        w.int16(OFFSET_VALUE_V1)
                .int64(o.offset())
                .int32(o.leaderEpoch())
                .int64(o.commitTimestamp())
                .string(o.metadata());
        return w.bytes();
    }

    public static byte[] groupValue(GroupMetadataRecord g) {
        Writer w = new Writer();
        w.int16(GROUP_VALUE_V1)
                .string(g.protocolType())
                .int32(g.generationId())
                .nullableString(g.protocolName())
                .nullableString(g.leaderId())
                .int64(g.stateTimestamp())
                .int32(g.members().size());
        for (GroupMetadataRecord.Member m : g.members()) {
            w.string(m.memberId())
                    .nullableString(m.groupInstanceId())
                    .string(m.clientId())
                    .string(m.clientHost())
                    .int32(m.rebalanceTimeoutMs())
                    .int32(m.sessionTimeoutMs())
                    .bytes(m.subscription())
                    .bytes(m.assignment());
        }
        return w.bytes();
    }

    // ---------------------------------------------------------------- decode

    /**
     * @param logOffset where the record sits in {@code __consumer_offsets}, for the error message
     */
    public static Key readKey(ByteBuffer key, long logOffset) throws CorruptGroupRecordException {
        ByteBuffer b = key.duplicate();
        try {
            short type = b.getShort();
            return switch (type) {
                case KEY_TYPE_OFFSET -> new OffsetKey(readString(b), new PartitionId(readString(b), b.getInt()));
                case KEY_TYPE_GROUP -> new GroupKey(readString(b));
                default -> throw new CorruptGroupRecordException(logOffset, "unknown key type " + type);
            };
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptGroupRecordException(
                    logOffset, "key truncated or malformed (" + key.remaining() + " bytes)");
        }
    }

    public static CommittedOffset readOffsetValue(ByteBuffer value, long logOffset) throws CorruptGroupRecordException {
        ByteBuffer b = value.duplicate();
        try {
            short version = b.getShort();
            if (version != OFFSET_VALUE_V1) {
                throw new CorruptGroupRecordException(logOffset, "unknown offset value version " + version);
            }
            long offset = b.getLong();
            int epoch = b.getInt();
            long timestamp = b.getLong();
            return new CommittedOffset(offset, epoch, readString(b), timestamp);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptGroupRecordException(logOffset, "offset value truncated or malformed");
        }
    }

    public static GroupMetadataRecord readGroupValue(String groupId, ByteBuffer value, long logOffset)
            throws CorruptGroupRecordException {
        ByteBuffer b = value.duplicate();
        try {
            short version = b.getShort();
            if (version != GROUP_VALUE_V1) {
                throw new CorruptGroupRecordException(logOffset, "unknown group value version " + version);
            }
            String protocolType = readString(b);
            int generation = b.getInt();
            String protocolName = readNullableString(b);
            String leader = readNullableString(b);
            long stateTimestamp = b.getLong();
            int count = b.getInt();
            if (count < 0 || count > b.remaining()) {
                throw new CorruptGroupRecordException(logOffset, "member count " + count + " impossible");
            }
            List<GroupMetadataRecord.Member> members = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                members.add(new GroupMetadataRecord.Member(
                        readString(b),
                        readNullableString(b),
                        readString(b),
                        readString(b),
                        b.getInt(),
                        b.getInt(),
                        readBytes(b),
                        readBytes(b)));
            }
            return new GroupMetadataRecord(
                    groupId, protocolType, generation, protocolName, leader, stateTimestamp, members);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptGroupRecordException(logOffset, "group value truncated or malformed");
        }
    }

    private static String readString(ByteBuffer b) {
        String s = readNullableString(b);
        if (s == null) {
            throw new IllegalArgumentException("null where a string is required");
        }
        return s;
    }

    private static String readNullableString(ByteBuffer b) {
        short len = b.getShort();
        if (len < 0) {
            return null;
        }
        byte[] bytes = new byte[len];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(ByteBuffer b) {
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new IllegalArgumentException("byte length " + len);
        }
        byte[] bytes = new byte[len];
        b.get(bytes);
        return bytes;
    }

    /** Grows as needed; records here are small and written rarely (commits, rebalances). */
    private static final class Writer {
        private ByteBuffer buf = ByteBuffer.allocate(128);

        private void ensure(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Writer int16(short v) {
            ensure(2);
            buf.putShort(v);
            return this;
        }

        Writer int32(int v) {
            ensure(4);
            buf.putInt(v);
            return this;
        }

        Writer int64(long v) {
            ensure(8);
            buf.putLong(v);
            return this;
        }

        Writer string(String s) {
            if (s == null) {
                throw new IllegalArgumentException("null string in a non-nullable field");
            }
            return nullableString(s);
        }

        Writer nullableString(String s) {
            if (s == null) {
                return int16((short) -1);
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            if (b.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("string of " + b.length + " bytes exceeds " + Short.MAX_VALUE);
            }
            int16((short) b.length);
            ensure(b.length);
            buf.put(b);
            return this;
        }

        Writer bytes(byte[] b) {
            int32(b.length);
            ensure(b.length);
            buf.put(b);
            return this;
        }

        byte[] bytes() {
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }
}
