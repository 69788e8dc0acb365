package dev.tributary.broker.protocol;

import dev.tributary.broker.network.Connection;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request in progress: who sent it, which API and version, and how to finish it. Exactly one of
 * {@link #respond}, {@link #noResponse} or {@link #closeConnection} finishes it; later calls are ignored
 * (a parked fetch can be woken by an append and by its timer at the same time).
 */
public final class RequestContext {
    private static final Logger log = LoggerFactory.getLogger(RequestContext.class);

    private final RequestHeader header;
    private final Connection connection;
    private final long receivedNanos;
    private final AtomicBoolean finished = new AtomicBoolean();

    RequestContext(RequestHeader header, Connection connection, long receivedNanos) {
        this.header = header;
        this.connection = connection;
        this.receivedNanos = receivedNanos;
    }

    public ApiKeys apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }

    public String clientId() {
        return header.clientId();
    }

    public int correlationId() {
        return header.correlationId();
    }

    public String connectionId() {
        return connection.id();
    }

    public InetSocketAddress clientAddress() {
        return connection.remoteAddress();
    }

    public long receivedNanos() {
        return receivedNanos;
    }

    public boolean isFinished() {
        return finished.get();
    }

    /**
     * Encodes {@code body} at the request's version with the header version the API uses, and sends it.
     * A body that cannot be encoded at that version (a bug in a handler) closes the connection with a
     * logged reason rather than leaving the client waiting.
     */
    public void respond(ApiMessage body) {
        respond(body, header.apiVersion());
    }

    /** Encodes with an explicit version (ApiVersions answers an unsupported version in v0). */
    void respond(ApiMessage body, short version) {
        if (finished.get()) {
            return;
        }
        dev.tributary.broker.network.ResponseSend send;
        try {
            send = ResponseEncoder.encode(
                    header.correlationId(), header.apiKey().responseHeaderVersion(version), body, version);
        } catch (RuntimeException e) {
            log.error("Cannot encode the {} v{} response for {}", header.apiKey(), version, header.clientId(), e);
            closeConnection("response could not be encoded: " + e.getMessage());
            return;
        }
        if (finished.compareAndSet(false, true)) {
            connection.sendResponse(send);
        }
    }

    /** Sends a frame encoded by hand (size prefix included), for versions kafka-clients cannot encode. */
    void respondRaw(java.nio.ByteBuffer frame) {
        if (finished.compareAndSet(false, true)) {
            connection.sendResponse(dev.tributary.broker.network.ResponseSend.of(frame));
        }
    }

    /** Finishes a request that has no response (Produce with acks=0). */
    public void noResponse() {
        if (finished.compareAndSet(false, true)) {
            connection.noResponse();
        }
    }

    /** Finishes the request by closing its connection, e.g. a failed acks=0 produce, as Kafka does. */
    public void closeConnection(String reason) {
        if (finished.compareAndSet(false, true)) {
            // the processor logs it once, with the connection
            connection.close(header.apiKey() + " v" + header.apiVersion() + " from client '" + header.clientId() + "': "
                    + reason);
        }
    }
}
