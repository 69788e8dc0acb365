package dev.tributary.broker;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;

/** A blocking Kafka-protocol socket for tests that need exact requests or malformed frames. */
public final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int correlationId;

    public RawClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    public RawClient(String host, int port) throws IOException {
        socket = new Socket(host, port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    /** Sends one request and returns the parsed response body. */
    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T send(ApiKeys key, short version, ApiMessage body) throws IOException {
        return (T) sendForResponse(key, version, body).data();
    }

    /** Sends one request and returns kafka-clients' response object (for client-side helpers that take one). */
    AbstractResponse sendForResponse(ApiKeys key, short version, ApiMessage body) throws IOException {
        return receive(sendOnly(key, version, body));
    }

    /** Sends one request without waiting for its response (to pipeline requests on one connection). */
    RequestHeader sendOnly(ApiKeys key, short version, ApiMessage body) throws IOException {
        RequestHeader header = new RequestHeader(key, version, "raw-client", ++correlationId);
        ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
        out.writeInt(frame.remaining());
        out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
        out.flush();
        return header;
    }

    /** Reads the next response, which must be the one to {@code header}'s request (same correlation id). */
    AbstractResponse receive(RequestHeader header) throws IOException {
        ByteBuffer response = ByteBuffer.wrap(readFrame());
        int correlation = response.getInt(0);
        if (correlation != header.correlationId()) {
            throw new IOException(
                    "response to request " + correlation + " arrived while waiting for " + header.correlationId());
        }
        return AbstractResponse.parseResponse(response, header);
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one response frame without parsing it. */
    byte[] readFrame() throws IOException {
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        return response;
    }

    /** True when the broker closed the connection (end of stream or reset) within the socket timeout. */
    boolean closedByBroker() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
