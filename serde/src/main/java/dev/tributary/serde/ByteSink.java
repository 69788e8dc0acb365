package dev.tributary.serde;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable, unsynchronized growable byte array to encode into. {@code ByteArrayOutputStream} synchronizes
 * every write, and Avro's single-object encoder writes through a direct (unbuffered) encoder, one call per
 * varint byte, so that lock alone showed up as a large share of a small record's encoding time.
 * One per thread; never shared.
 */
final class ByteSink extends OutputStream {
    private byte[] buf = new byte[256];
    private int count;

    void reset() {
        count = 0;
    }

    /** Empties the sink and starts it with {@code prefix} (a framing header) without the stream-write path. */
    void resetTo(byte[] prefix) {
        if (buf.length < prefix.length) {
            buf = new byte[Math.max(buf.length * 2, prefix.length)];
        }
        System.arraycopy(prefix, 0, buf, 0, prefix.length);
        count = prefix.length;
    }

    @Override
    public void write(int b) {
        if (count == buf.length) {
            grow(1);
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        if (buf.length - count < len) {
            grow(len);
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, count);
    }

    private void grow(int needed) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + needed));
    }
}
