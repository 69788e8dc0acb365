package dev.tributary.serde;

import java.io.InputStream;

/**
 * A reusable, unsynchronized view of a byte array to decode from; see {@link ByteSink} for why not
 * {@code ByteArrayInputStream} (Avro's single-object decoder reads through a direct decoder, byte by byte).
 * One per thread; never shared.
 */
final class ByteSource extends InputStream {
    private byte[] data;
    private int pos;
    private int limit;

    ByteSource reset(byte[] data) {
        this.data = data;
        this.pos = 0;
        this.limit = data.length;
        return this;
    }

    @Override
    public int read() {
        return pos < limit ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= limit) {
            return len == 0 ? 0 : -1;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) {
        int k = (int) Math.max(0, Math.min(n, limit - pos));
        pos += k;
        return k;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    /** Bytes not consumed by the decoder: non-zero after a datum means the payload did not match its schema. */
    int remaining() {
        return limit - pos;
    }
}
