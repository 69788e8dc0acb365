package dev.tributary.log.internal;

import java.nio.ByteBuffer;

/**
 * Zig-zag varints as Kafka's v2 records use them (the protobuf encoding): 7 bits per byte, low group first,
 * the high bit set on every byte but the last. Reads are absolute and advance a {@link Cursor} so walking a
 * batch allocates nothing.
 */
public final class Varints {
    private Varints() {}

    /** A read position that record walkers reuse instead of allocating a result per varint. */
    public static final class Cursor {
        public int pos;
        public int limit;

        public Cursor reset(int pos, int limit) {
            this.pos = pos;
            this.limit = limit;
            return this;
        }
    }

    /** Thrown for a varint that runs past the limit or over 5 (int) / 10 (long) bytes. */
    public static final class MalformedVarintException extends RuntimeException {
        public final int position;

        MalformedVarintException(String what, int position) {
            super(what + " at " + position);
            this.position = position;
        }
    }

    public static int readVarint(ByteBuffer buf, Cursor c) {
        if (c.pos < c.limit) {
            // one byte covers values -64..63: most record fields
            byte first = buf.get(c.pos);
            if (first >= 0) {
                c.pos++;
                return (first >>> 1) ^ -(first & 1);
            }
        }
        int raw = 0;
        int shift = 0;
        int p = c.pos;
        while (true) {
            if (p >= c.limit) {
                throw new MalformedVarintException("varint runs past the end", c.pos);
            }
            byte b = buf.get(p++);
            raw |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 28) {
                throw new MalformedVarintException("varint longer than 5 bytes", c.pos);
            }
        }
        c.pos = p;
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static long readVarlong(ByteBuffer buf, Cursor c) {
        if (c.pos < c.limit) {
            byte first = buf.get(c.pos);
            if (first >= 0) {
                c.pos++;
                return (first >>> 1) ^ -(first & 1);
            }
        }
        long raw = 0;
        int shift = 0;
        int p = c.pos;
        while (true) {
            if (p >= c.limit) {
                throw new MalformedVarintException("varlong runs past the end", c.pos);
            }
            byte b = buf.get(p++);
            raw |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new MalformedVarintException("varlong longer than 10 bytes", c.pos);
            }
        }
        c.pos = p;
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static int sizeOfVarint(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & 0xffffff80) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    public static int sizeOfVarlong(long value) {
        long v = (value << 1) ^ (value >> 63);
        int bytes = 1;
        while ((v & 0xffffffffffffff80L) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }

    public static void writeVarint(int value, ByteBuffer buf) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    public static void writeVarlong(long value, ByteBuffer buf) {
        long v = (value << 1) ^ (value >> 63);
        while ((v & 0xffffffffffffff80L) != 0) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }
}
