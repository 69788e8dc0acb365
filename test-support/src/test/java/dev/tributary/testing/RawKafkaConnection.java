package dev.tributary.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One blocking connection that sends hand-built requests, for tests that must send what a well-behaved
 * client never would (a batch twice, a sequence gap). Requests and responses are kafka-clients' own
 * classes, so the framing is the real protocol.
 */
final class RawKafkaConnection implements AutoCloseable {
    private final SocketChannel channel;
    private int correlationId;

    RawKafkaConnection(String host, int port) {
        try {
            channel = SocketChannel.open(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    <T extends AbstractResponse> T send(AbstractRequest request) {
        RequestHeader header = new RequestHeader(request.apiKey(), request.version(), "raw-test", ++correlationId);
        ByteBuffer body = request.serializeWithHeader(header);
        ByteBuffer frame = ByteBuffer.allocate(4 + body.remaining());
        frame.putInt(body.remaining()).put(body).flip();
        try {
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
            ByteBuffer size = ByteBuffer.allocate(4);
            readFully(size);
            ByteBuffer response = ByteBuffer.allocate(size.flip().getInt());
            readFully(response);
            response.flip();
            return (T) AbstractResponse.parseResponse(response, header);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** InitProducerId without a transactional id; returns the new producer id (epoch 0). */
    long initProducerId() {
        InitProducerIdResponse init = send(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                        .setTransactionalId(null)
                        .setTransactionTimeoutMs(Integer.MAX_VALUE))
                .build((short) 4));
        if (init.error() != Errors.NONE) {
            throw new AssertionError("InitProducerId failed: " + init.error());
        }
        return init.data().producerId();
    }

    /** Produce v9 with acks=all of one batch to one partition; returns that partition's response. */
    ProduceResponseData.PartitionProduceResponse produce(String topic, int partition, ByteBuffer batch) {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        t.partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(partition)
                        .setRecords(MemoryRecords.readableRecords(batch.duplicate())));
        data.topicData().add(t);
        ProduceResponse response = send(new ProduceRequest.Builder((short) 9, (short) 9, data).build((short) 9));
        return response.data()
                .responses()
                .iterator()
                .next()
                .partitionResponses()
                .get(0);
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new IOException("connection closed by the broker");
            }
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
