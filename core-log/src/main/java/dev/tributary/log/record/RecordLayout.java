package dev.tributary.log.record;

import dev.tributary.log.internal.Varints;
import java.nio.ByteBuffer;

/**
 * Parses one record's structure (positions and lengths only) into reusable fields, so validation walks a whole
 * batch without allocating. A failure throws {@link Malformed} with the position and value at fault.
 */
final class RecordLayout {
    int position;
    int sizeInBytes;
    byte attributes;
    long timestampDelta;
    int offsetDelta;
    int keyPos;
    int keyLength;
    int valuePos;
    int valueLength;
    int headersPos;
    int headerCount;

    /** A structural error inside the records section. */
    static final class Malformed extends RuntimeException {
        final int position;
        final long value;

        Malformed(String what, int position, long value) {
            super(what, null, false, false);
            this.position = position;
            this.value = value;
        }
    }

    /** Parses the record at {@code c.pos}, leaving {@code c.pos} after it. */
    void parse(ByteBuffer b, Varints.Cursor c) {
        try {
            position = c.pos;
            int length = Varints.readVarint(b, c);
            int bodyStart = c.pos;
            if (length < 1 || length > c.limit - bodyStart) {
                throw new Malformed("record length out of bounds", position, length);
            }
            int end = bodyStart + length;
            int outerLimit = c.limit;
            c.limit = end;
            attributes = b.get(c.pos++);
            timestampDelta = Varints.readVarlong(b, c);
            offsetDelta = Varints.readVarint(b, c);
            keyLength = Varints.readVarint(b, c);
            keyPos = c.pos;
            skip(c, keyLength, true, "key length");
            valueLength = Varints.readVarint(b, c);
            valuePos = c.pos;
            skip(c, valueLength, true, "value length");
            headerCount = Varints.readVarint(b, c);
            if (headerCount < 0) {
                throw new Malformed("negative header count", c.pos, headerCount);
            }
            headersPos = c.pos;
            for (int i = 0; i < headerCount; i++) {
                int kl = Varints.readVarint(b, c);
                skip(c, kl, false, "header key length");
                int vl = Varints.readVarint(b, c);
                skip(c, vl, true, "header value length");
            }
            if (c.pos != end) {
                throw new Malformed("record length disagrees with its fields", position, length);
            }
            c.limit = outerLimit;
            sizeInBytes = end - position;
        } catch (Varints.MalformedVarintException e) {
            throw new Malformed(e.getMessage(), e.position, -1);
        }
    }

    private static void skip(Varints.Cursor c, int len, boolean nullable, String what) {
        if (len < (nullable ? -1 : 0) || (len > 0 && len > c.limit - c.pos)) {
            throw new Malformed(what + " out of bounds", c.pos, len);
        }
        if (len > 0) {
            c.pos += len;
        }
    }
}
