package dev.tributary.broker.network;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One complete request frame read from a connection, without its 4-byte size prefix.
 *
 * @param connection the connection it arrived on; the response goes back through it
 * @param payload header and body, positioned at the header
 * @param receivedNanos when the last byte was read ({@link System#nanoTime()})
 */
public record NetworkRequest(Connection connection, ByteBuffer payload, long receivedNanos) {

    public String connectionId() {
        return connection.id();
    }

    public InetSocketAddress remoteAddress() {
        return connection.remoteAddress();
    }
}
