package dev.tributary.broker.network;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Direct buffers for request frames, reused across requests, owned by one {@link Processor} thread (not thread
 * safe, and needs not be: buffers are taken when a frame's size is known and given back when its connection
 * resumes reading, both on that thread).
 *
 * <p>Why direct and why pooled: a frame read into a fresh heap buffer costs, per produced byte, a zeroed heap
 * allocation, a copy from the JDK's temporary direct buffer into the heap on the socket read, and another copy
 * back into a temporary direct buffer when core-log writes the batches with {@code FileChannel.write}. A
 * pooled direct buffer is read into by the kernel and written from by the kernel: no user-space copy of record
 * bytes and no allocation per request (bench/results/side-by-side.md has the before/after figures).
 *
 * <p>Bounds: only frames up to {@link #bufferBytes} come from the pool, and at most {@link #maxBuffers} buffers
 * exist per processor; anything else gets a heap buffer as before, so a burst of large requests or many
 * concurrent connections cannot pin more than {@code bufferBytes * maxBuffers} of native memory per processor.
 * A buffer is only ever handed out again after the request that used it has been answered (a connection
 * has one request in flight and reads nothing until then); a connection closed while its request is still
 * with a handler drops its buffer instead of returning it.
 */
final class RequestBufferPool {
    /**
     * 2 MiB: a producer's largest request at its default {@code max.request.size} (1 MiB) plus headers, with room
     * for topics that raise {@code max.message.bytes} to 2 MiB (the 1 MiB-record benchmark). At 1 MiB, every
     * request carrying a 1 MiB record fell back to a fresh heap buffer, which G1 allocates as a humongous object.
     * A buffer only becomes resident as far as requests fill it.
     */
    static final int DEFAULT_BUFFER_BYTES = 2 * 1024 * 1024;
    /** 8 per processor: 16 MiB of native memory at most, allocated only as concurrent requests need it. */
    static final int DEFAULT_MAX_BUFFERS = 8;

    private final int bufferBytes;
    private final int maxBuffers;
    private final ArrayDeque<ByteBuffer> free = new ArrayDeque<>();
    private int created;

    RequestBufferPool(int bufferBytes, int maxBuffers) {
        this.bufferBytes = bufferBytes;
        this.maxBuffers = maxBuffers;
    }

    static RequestBufferPool defaults() {
        return new RequestBufferPool(DEFAULT_BUFFER_BYTES, DEFAULT_MAX_BUFFERS);
    }

    /** A buffer with position 0 and limit {@code size}: pooled and direct when possible, else a new heap buffer. */
    ByteBuffer acquire(int size) {
        if (size <= bufferBytes) {
            ByteBuffer b = free.pollFirst();
            if (b == null && created < maxBuffers) {
                b = ByteBuffer.allocateDirect(bufferBytes);
                created++;
            }
            if (b != null) {
                return b.clear().limit(size);
            }
        }
        return ByteBuffer.allocate(size);
    }

    /** Gives back a buffer from {@link #acquire}; heap buffers and foreign ones are simply dropped. */
    void release(ByteBuffer buffer) {
        if (isPooled(buffer) && free.size() < created) {
            free.addFirst(buffer);
        }
    }

    /** A pooled buffer that will never come back (its connection closed while a handler had it). */
    void forget(ByteBuffer buffer) {
        if (isPooled(buffer)) {
            created--;
        }
    }

    private boolean isPooled(ByteBuffer buffer) {
        return buffer != null && buffer.isDirect() && buffer.capacity() == bufferBytes;
    }

    int created() {
        return created;
    }

    int available() {
        return free.size();
    }
}
