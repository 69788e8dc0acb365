package dev.tributary.broker.network;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads Kafka request frames: a 4-byte big-endian size, then that many bytes of header and body.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                          size (int32)                         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | api key (int16)               | api version (int16)           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | correlation id (int32), client id, [tagged fields], body ...  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The size is checked against {@code socket.request.max.bytes} before the payload buffer is allocated,
 * so a hostile or corrupt prefix cannot make the broker allocate gigabytes.
 */
public final class FrameDecoder {
    /** api key + api version + correlation id: the shortest header any version has. */
    static final int MIN_FRAME_BYTES = 2 + 2 + 4;

    private final int maxFrameBytes;
    private final RequestBufferPool pool;
    private final ByteBuffer sizeBuffer = ByteBuffer.allocate(4);
    private ByteBuffer payload;

    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, null);
    }

    /** With a pool, payloads come from it (see {@link RequestBufferPool}); the caller gives them back. */
    FrameDecoder(int maxFrameBytes, RequestBufferPool pool) {
        this.maxFrameBytes = maxFrameBytes;
        this.pool = pool;
    }

    /**
     * Checks a frame size prefix without allocating anything.
     *
     * @return null when acceptable, otherwise why not
     */
    public static String rejectSize(int size, int maxFrameBytes) {
        if (size < MIN_FRAME_BYTES) {
            return "invalid request size " + size + " (a request header needs at least " + MIN_FRAME_BYTES + " bytes)";
        }
        if (size > maxFrameBytes) {
            return "request size " + size + " exceeds socket.request.max.bytes=" + maxFrameBytes;
        }
        return null;
    }

    /** The buffer of a frame read only in part (the connection is closing), or null; the decoder forgets it. */
    ByteBuffer discardPartial() {
        ByteBuffer partial = payload;
        payload = null;
        sizeBuffer.clear();
        return partial;
    }

    /**
     * @return a complete payload (and resets for the next frame), or null when more bytes are needed
     */
    public ByteBuffer readFrom(ReadableByteChannel channel) throws IOException {
        if (payload == null) {
            if (channel.read(sizeBuffer) < 0) {
                throw new EOFException("connection closed by peer");
            }
            if (sizeBuffer.hasRemaining()) {
                return null;
            }
            int size = sizeBuffer.getInt(0);
            String rejection = rejectSize(size, maxFrameBytes);
            if (rejection != null) {
                throw new FrameException(rejection);
            }
            payload = pool != null ? pool.acquire(size) : ByteBuffer.allocate(size);
        }
        if (channel.read(payload) < 0) {
            throw new EOFException("connection closed by peer in the middle of a " + payload.limit() + "-byte request");
        }
        if (payload.hasRemaining()) {
            return null;
        }
        ByteBuffer complete = payload.flip();
        payload = null;
        sizeBuffer.clear();
        return complete;
    }
}
