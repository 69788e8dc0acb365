package dev.tributary.log.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * A heap byte array that grows by doubling, usable as an {@link OutputStream} for compressors and as the
 * target of decompression. Reused across batches by one thread so decompressing does not allocate per batch
 * once it has grown to the largest batch.
 */
public final class GrowableBuffer extends OutputStream {
    private byte[] bytes;
    private int size;
    private int maxSize = Integer.MAX_VALUE - 8;

    public GrowableBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    /** Thrown when content would grow beyond {@link #maxSize(int)}. */
    public static final class LimitExceededException extends RuntimeException {
        public LimitExceededException(String message) {
            super(message);
        }
    }

    /**
     * Caps the content: a few kilobytes of zstd can expand to gigabytes, and a broker must not let one produce
     * request decompress itself out of heap.
     */
    public GrowableBuffer maxSize(int maxSize) {
        this.maxSize = maxSize;
        return this;
    }

    /** Drops the content and, if the array grew past {@code bytes}, the array too (keeps memory bounded). */
    public void shrinkIfLargerThan(int bytes) {
        size = 0;
        if (this.bytes.length > bytes) {
            this.bytes = new byte[64 * 1024];
        }
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    public void ensureCapacity(int needed) {
        if (needed > bytes.length) {
            if (needed > maxSize || needed < 0) {
                throw new LimitExceededException("content would exceed " + maxSize + " bytes");
            }
            long n = Math.max((long) bytes.length * 2, needed);
            byte[] grown = new byte[(int) Math.min(n, maxSize)];
            System.arraycopy(bytes, 0, grown, 0, size);
            bytes = grown;
        }
    }

    @Override
    public void write(int b) {
        ensureCapacity(size + 1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensureCapacity(size + len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    /** Appends the remaining bytes of {@code src} without moving its position. */
    public void write(ByteBuffer src) {
        int len = src.remaining();
        ensureCapacity(size + len);
        src.duplicate().get(bytes, size, len);
        size += len;
    }

    /** Reads {@code in} to its end, appending everything. */
    public void readFully(InputStream in) throws IOException {
        while (true) {
            ensureCapacity(size + 4096);
            int n = in.read(bytes, size, bytes.length - size);
            if (n < 0) {
                return;
            }
            size += n;
        }
    }

    /** A view of the bytes written so far (no copy); valid until the next write or clear. */
    public ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, size).slice();
    }

    public byte[] array() {
        return bytes;
    }

    /** A view for writing {@code len} more bytes through a ByteBuffer; call {@link #advance} afterwards. */
    public ByteBuffer writableView(int len) {
        ensureCapacity(size + len);
        return ByteBuffer.wrap(bytes, size, len).slice();
    }

    public void advance(int len) {
        size += len;
    }
}
