package dev.tributary.log.record;

import dev.tributary.log.internal.Varints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A view of one v2 record inside a batch's (decompressed) records section; nothing is copied. Layout:
 *
 * <pre>
 * length: varint          bytes that follow
 * attributes: int8        unused, 0
 * timestampDelta: varlong from the batch's base timestamp
 * offsetDelta: varint     from the batch's base offset
 * keyLength: varint       -1 = null key
 * key: byte[]
 * valueLength: varint     -1 = null value
 * value: byte[]
 * headerCount: varint
 * headers: [keyLength varint, key utf8, valueLength varint (-1 = null), value]
 * </pre>
 *
 * Valid while the batch's buffer is unchanged. {@link #key()} and {@link #value()} return read-only slices.
 */
public final class Record {
    private final ByteBuffer buf;
    private final long offset;
    private final long timestamp;
    private final int position;
    private final int sizeInBytes;
    private final byte attributes;
    private final int keyPos;
    private final int keyLength;
    private final int valuePos;
    private final int valueLength;
    private final int headersPos;
    private final int headerCount;

    Record(
            ByteBuffer buf,
            long offset,
            long timestamp,
            int position,
            int sizeInBytes,
            byte attributes,
            int keyPos,
            int keyLength,
            int valuePos,
            int valueLength,
            int headersPos,
            int headerCount) {
        this.buf = buf;
        this.offset = offset;
        this.timestamp = timestamp;
        this.position = position;
        this.sizeInBytes = sizeInBytes;
        this.attributes = attributes;
        this.keyPos = keyPos;
        this.keyLength = keyLength;
        this.valuePos = valuePos;
        this.valueLength = valueLength;
        this.headersPos = headersPos;
        this.headerCount = headerCount;
    }

    public long offset() {
        return offset;
    }

    /** The record's timestamp; under LogAppendTime, the batch's max timestamp as Kafka defines it. */
    public long timestamp() {
        return timestamp;
    }

    /** Size of the encoded record including its length varint. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    public byte attributes() {
        return attributes;
    }

    public boolean hasKey() {
        return keyLength >= 0;
    }

    public boolean hasValue() {
        return valueLength >= 0;
    }

    public int keySize() {
        return keyLength;
    }

    public int valueSize() {
        return valueLength;
    }

    /** The key bytes as a read-only slice, or null. */
    public ByteBuffer key() {
        return slice(keyPos, keyLength);
    }

    /** The value bytes as a read-only slice, or null (a tombstone). */
    public ByteBuffer value() {
        return slice(valuePos, valueLength);
    }

    public byte[] keyBytes() {
        return copy(keyPos, keyLength);
    }

    public byte[] valueBytes() {
        return copy(valuePos, valueLength);
    }

    private ByteBuffer slice(int pos, int len) {
        if (len < 0) {
            return null;
        }
        return buf.slice(pos, len).asReadOnlyBuffer();
    }

    private byte[] copy(int pos, int len) {
        if (len < 0) {
            return null;
        }
        byte[] b = new byte[len];
        buf.get(pos, b);
        return b;
    }

    public int headerCount() {
        return headerCount;
    }

    /** Decodes the headers (allocates; they were bounds-checked when the record was read). */
    public List<Header> headers() {
        List<Header> out = new ArrayList<>(headerCount);
        Varints.Cursor c = new Varints.Cursor().reset(headersPos, position + sizeInBytes);
        for (int i = 0; i < headerCount; i++) {
            int kl = Varints.readVarint(buf, c);
            byte[] k = new byte[kl];
            buf.get(c.pos, k);
            c.pos += kl;
            int vl = Varints.readVarint(buf, c);
            byte[] v = null;
            if (vl >= 0) {
                v = new byte[vl];
                buf.get(c.pos, v);
                c.pos += vl;
            }
            out.add(new Header(new String(k, StandardCharsets.UTF_8), v));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", keySize=" + keyLength + ", valueSize="
                + valueLength + ", headers=" + headerCount + ")";
    }
}
