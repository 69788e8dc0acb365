package dev.tributary.broker.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client connection, owned by a single {@link Processor}.
 *
 * <p>State machine: READING (size prefix, then payload) -> IN_FLIGHT (a handler owns the request; the
 * socket is not read, which is the backpressure and keeps responses in request order) -> WRITING (the
 * response is being written) -> READING. Only one request per connection is processed at a time, as in
 * Kafka, so a producer's pipelined batches are appended in the order they were sent.
 *
 * <p>The I/O methods run on the processor thread only; {@link #sendResponse}, {@link #noResponse} and
 * {@link #close(String)} may be called from any thread and are handed to the processor.
 */
public final class Connection {
    private final String id;
    private final SocketChannel channel;
    private final Processor processor;
    private final InetSocketAddress remote;
    private final FrameDecoder decoder;
    private final RequestBufferPool pool;
    /** The pooled buffer of the request in flight, given back once it has been answered. */
    private ByteBuffer inFlightBuffer;

    private SelectionKey key;
    private ResponseSend sending;
    private boolean inFlight;
    private boolean closed;

    Connection(String id, SocketChannel channel, Processor processor, int maxRequestBytes, RequestBufferPool pool)
            throws IOException {
        this.id = id;
        this.channel = channel;
        this.processor = processor;
        this.remote = (InetSocketAddress) channel.getRemoteAddress();
        this.pool = pool;
        this.decoder = new FrameDecoder(maxRequestBytes, pool);
    }

    public String id() {
        return id;
    }

    public InetSocketAddress remoteAddress() {
        return remote;
    }

    /** Queues the response to {@link NetworkRequest}; the connection resumes reading once it is written. */
    public void sendResponse(ResponseSend send) {
        processor.enqueue(this, send, null);
    }

    /** The request needs no response (Produce with acks=0); resume reading. */
    public void noResponse() {
        processor.enqueue(this, null, null);
    }

    /** Closes the connection after logging why. */
    public void close(String reason) {
        processor.enqueue(this, null, reason);
    }

    // ---- processor thread only ----

    void register(SelectionKey key) {
        this.key = key;
    }

    SocketChannel channel() {
        return channel;
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Reads until a whole frame is available, the socket is drained, or the frame is rejected.
     *
     * @return the frame payload, or null if more bytes are needed
     * @throws FrameException when the frame is malformed or over the limit
     * @throws IOException on a socket error or end of stream
     */
    ByteBuffer read() throws IOException {
        ByteBuffer payload = decoder.readFrom(channel);
        if (payload != null) {
            inFlight = true;
            inFlightBuffer = payload;
            key.interestOps(0);
        }
        return payload;
    }

    /** Called when the handler has finished with the in-flight request. */
    void startSending(ResponseSend send) throws IOException {
        sending = send;
        writeMore();
    }

    void writeMore() throws IOException {
        if (sending.writeTo(channel)) {
            sending = null;
            resumeReading();
        } else {
            key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    void resumeReading() {
        // The request has been answered, so no handler uses its bytes any more: the buffer can serve the next one.
        inFlight = false;
        pool.release(inFlightBuffer);
        inFlightBuffer = null;
        key.interestOps(SelectionKey.OP_READ);
    }

    void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        // No handler ever saw a partly read frame, so its buffer can be reused; the buffer of a request still
        // with a handler cannot, so it is left to the GC and its pool slot freed.
        pool.release(decoder.discardPartial());
        if (inFlight) {
            pool.forget(inFlightBuffer);
        }
        inFlightBuffer = null;
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to do for a socket we are dropping
        }
    }

    @Override
    public String toString() {
        return id + "(" + remote + ")";
    }
}
