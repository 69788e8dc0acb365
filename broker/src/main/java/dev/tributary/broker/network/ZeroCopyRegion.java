package dev.tributary.broker.network;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * The one seam between the fetch path and the socket: a range of a file that is moved to the peer
 * without passing through the Java heap.
 *
 * <p>The plaintext implementation wraps a core-log file region and calls
 * {@code FileChannel.transferTo}, which is {@code sendfile(2)} on Linux when the target is a socket.
 * A TLS transport would pass a target channel that encrypts; {@code transferTo} then falls back to
 * copying through a buffer, and nothing else in the broker changes.
 *
 * <p>Called only from the processor thread that owns the connection.
 */
public interface ZeroCopyRegion {

    /** Total number of bytes in the region. */
    long size();

    /**
     * Moves up to {@code count} bytes starting {@code offset} bytes into the region to {@code target}.
     *
     * @return the number of bytes moved, possibly 0 when the socket buffer is full
     */
    long transferTo(WritableByteChannel target, long offset, long count) throws IOException;
}
