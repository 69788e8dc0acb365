package dev.tributary.broker.protocol;

import dev.tributary.broker.errors.ReplicaFetchException;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.OffsetOutOfRangeException;
import dev.tributary.log.epoch.EpochEndOffset;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.RequestUtils;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * A follower's blocking connection to one leader broker: Fetch (v12, topic names, replica id in the body,
 * sessionless, read_uncommitted) and OffsetForLeaderEpoch (v4). One request at a time over one plain
 * {@link SocketChannel}, encoded and decoded with kafka-clients' message classes; its public types carry none of
 * them.
 *
 * <p>Failures: a partition's error code becomes that partition's exception ({@link ErrorCodes#exceptionFor}; an
 * out-of-range fetch is core-log's {@link OffsetOutOfRangeException} with the leader's bounds). A connection that
 * cannot be made, breaks, or gets no answer within the request timeout (plus the fetch's max wait) throws
 * {@link ReplicaFetchException} naming {@code host:port}; the connection is dropped and the next call connects
 * again. Calls are serialised; {@link #close} may come from another thread and ends a call in progress.
 */
public final class ReplicaFetchClient implements AutoCloseable {
    /** The highest Fetch version with topic names, which this broker's own FetchApi serves. */
    static final short FETCH_VERSION = 12;

    static final short OFFSET_FOR_LEADER_EPOCH_VERSION = 4;
    private static final byte READ_UNCOMMITTED = 0;
    /** Kafka's sessionless full fetch: no session id, final epoch (FetchMetadata.LEGACY). */
    private static final int NO_SESSION_ID = 0;

    private static final int NO_SESSION_EPOCH = -1;
    private static final int NO_LAST_FETCHED_EPOCH = -1;

    /** Where one partition's fetch starts. */
    public record FetchPosition(
            PartitionId id, long fetchOffset, int currentLeaderEpoch, long logStartOffset, int partitionMaxBytes) {}

    /**
     * One partition's answer, in the order of the request.
     *
     * @param error null when the leader answered without error
     * @param records the record batches as the leader sent them, whole batches only (a trailing batch cut short
     *     by the byte limits is dropped); empty when there is nothing new or on error
     */
    public record Fetched(
            PartitionId id, RuntimeException error, long highWatermark, long logStartOffset, ByteBuffer records) {}

    /** One partition of an OffsetForLeaderEpoch request. */
    public record EpochQuery(PartitionId id, int currentLeaderEpoch, int leaderEpoch) {}

    /**
     * One partition's answer, in the order of the queries.
     *
     * @param error null when the leader answered without error
     * @param answer the leader's epoch and end offset; {@link EpochEndOffset#UNDEFINED} on error
     */
    public record EpochAnswer(PartitionId id, RuntimeException error, EpochEndOffset answer) {}

    private final String host;
    private final int port;
    private final String address;
    private final int replicaId;
    private final String clientId;
    private final long requestTimeoutMs;

    private SocketChannel channel;
    private volatile Selector selector;
    private SelectionKey key;
    private int correlationId;
    private volatile boolean closed;

    public ReplicaFetchClient(String host, int port, int replicaId, String clientId, Duration requestTimeout) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.address = host + ":" + port;
        this.replicaId = replicaId;
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.requestTimeoutMs = requestTimeout.toMillis();
        if (requestTimeoutMs <= 0) {
            throw new IllegalArgumentException("request timeout must be positive: " + requestTimeout);
        }
    }

    /** The leader's {@code host:port}, as exceptions name it. */
    public String address() {
        return address;
    }

    /**
     * Fetches from the leader; waits up to {@code maxWaitMs} on the leader for {@code minBytes}.
     *
     * @return one answer per position, in their order
     * @throws ReplicaFetchException the connection failed or the answer did not come within the request timeout
     *     after {@code maxWaitMs}
     */
    public synchronized List<Fetched> fetch(int maxWaitMs, int minBytes, int maxBytes, List<FetchPosition> positions) {
        Map<String, FetchRequestData.FetchTopic> topics = new LinkedHashMap<>();
        for (FetchPosition p : positions) {
            topics.computeIfAbsent(p.id().topic(), t -> new FetchRequestData.FetchTopic().setTopic(t))
                    .partitions()
                    .add(new FetchRequestData.FetchPartition()
                            .setPartition(p.id().partition())
                            .setCurrentLeaderEpoch(p.currentLeaderEpoch())
                            .setFetchOffset(p.fetchOffset())
                            .setLastFetchedEpoch(NO_LAST_FETCHED_EPOCH)
                            .setLogStartOffset(p.logStartOffset())
                            .setPartitionMaxBytes(p.partitionMaxBytes()));
        }
        FetchRequestData request = new FetchRequestData()
                .setReplicaId(replicaId)
                .setMaxWaitMs(maxWaitMs)
                .setMinBytes(minBytes)
                .setMaxBytes(maxBytes)
                .setIsolationLevel(READ_UNCOMMITTED)
                .setSessionId(NO_SESSION_ID)
                .setSessionEpoch(NO_SESSION_EPOCH)
                .setTopics(new ArrayList<>(topics.values()))
                .setForgottenTopicsData(new ArrayList<>())
                .setRackId("");
        ByteBuffer body = roundTrip(ApiKeys.FETCH, FETCH_VERSION, request, requestTimeoutMs + Math.max(0, maxWaitMs));
        FetchResponseData response = parse(() -> new FetchResponseData(new ByteBufferAccessor(body), FETCH_VERSION));

        Answers<FetchResponseData.PartitionData> byId = new Answers<>();
        for (FetchResponseData.FetchableTopicResponse t : response.responses()) {
            for (FetchResponseData.PartitionData pd : t.partitions()) {
                byId.add(new PartitionId(t.topic(), pd.partitionIndex()), pd);
            }
        }
        List<Fetched> fetched = new ArrayList<>(positions.size());
        for (FetchPosition p : positions) {
            FetchResponseData.PartitionData pd = byId.next(p.id());
            if (pd == null) {
                fetched.add(new Fetched(p.id(), missing(response.errorCode(), p.id(), "Fetch"), -1, -1, empty()));
            } else if (pd.errorCode() != Errors.NONE.code()) {
                fetched.add(new Fetched(p.id(), fetchError(pd, p), pd.highWatermark(), pd.logStartOffset(), empty()));
            } else {
                fetched.add(
                        new Fetched(p.id(), null, pd.highWatermark(), pd.logStartOffset(), wholeBatches(pd.records())));
            }
        }
        return fetched;
    }

    /**
     * Asks the leader where each epoch ended in its log.
     *
     * @return one answer per query, in their order
     * @throws ReplicaFetchException the connection failed or the answer did not come within the request timeout
     */
    public synchronized List<EpochAnswer> offsetsForLeaderEpoch(List<EpochQuery> queries) {
        Map<String, OffsetForLeaderEpochRequestData.OffsetForLeaderTopic> topics = new LinkedHashMap<>();
        for (EpochQuery q : queries) {
            topics.computeIfAbsent(
                            q.id().topic(), t -> new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic(t))
                    .partitions()
                    .add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                            .setPartition(q.id().partition())
                            .setCurrentLeaderEpoch(q.currentLeaderEpoch())
                            .setLeaderEpoch(q.leaderEpoch()));
        }
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection collection =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        topics.values().forEach(collection::add);
        OffsetForLeaderEpochRequestData request =
                new OffsetForLeaderEpochRequestData().setReplicaId(replicaId).setTopics(collection);
        ByteBuffer body =
                roundTrip(ApiKeys.OFFSET_FOR_LEADER_EPOCH, OFFSET_FOR_LEADER_EPOCH_VERSION, request, requestTimeoutMs);
        OffsetForLeaderEpochResponseData response = parse(() ->
                new OffsetForLeaderEpochResponseData(new ByteBufferAccessor(body), OFFSET_FOR_LEADER_EPOCH_VERSION));

        Answers<OffsetForLeaderEpochResponseData.EpochEndOffset> byId = new Answers<>();
        for (OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult t : response.topics()) {
            for (OffsetForLeaderEpochResponseData.EpochEndOffset e : t.partitions()) {
                byId.add(new PartitionId(t.topic(), e.partition()), e);
            }
        }
        List<EpochAnswer> answers = new ArrayList<>(queries.size());
        for (EpochQuery q : queries) {
            OffsetForLeaderEpochResponseData.EpochEndOffset e = byId.next(q.id());
            if (e == null) {
                answers.add(new EpochAnswer(
                        q.id(), missing(Errors.NONE.code(), q.id(), "OffsetForLeaderEpoch"), EpochEndOffset.UNDEFINED));
            } else if (e.errorCode() != Errors.NONE.code()) {
                answers.add(new EpochAnswer(
                        q.id(),
                        ErrorCodes.exceptionFor(e.errorCode(), address, message(e.errorCode(), q.id(), "epoch query")),
                        EpochEndOffset.UNDEFINED));
            } else {
                answers.add(new EpochAnswer(q.id(), null, new EpochEndOffset(e.leaderEpoch(), e.endOffset())));
            }
        }
        return answers;
    }

    private RuntimeException fetchError(FetchResponseData.PartitionData pd, FetchPosition p) {
        if (pd.errorCode() == Errors.OFFSET_OUT_OF_RANGE.code()) {
            return new OffsetOutOfRangeException(
                    p.id() + " on " + address, p.fetchOffset(), pd.logStartOffset(), pd.highWatermark());
        }
        return ErrorCodes.exceptionFor(
                pd.errorCode(), address, message(pd.errorCode(), p.id(), "fetch at offset " + p.fetchOffset()));
    }

    /** A partition the response leaves out: the whole request's error if it has one, else a broken answer. */
    private RuntimeException missing(short topLevelError, PartitionId id, String api) {
        if (topLevelError != Errors.NONE.code()) {
            return ErrorCodes.exceptionFor(topLevelError, address, message(topLevelError, id, api));
        }
        return new ReplicaFetchException(
                Errors.UNKNOWN_SERVER_ERROR.name(), address, "the " + api + " response has no answer for " + id);
    }

    private String message(short code, PartitionId id, String what) {
        return Errors.forCode(code).name() + " from " + address + " for " + id + " (" + what + ")";
    }

    private static ByteBuffer wholeBatches(BaseRecords records) {
        if (records instanceof MemoryRecords m) {
            return CompleteBatches.prefix(m.buffer());
        }
        return empty();
    }

    private static ByteBuffer empty() {
        return ByteBuffer.allocate(0);
    }

    /** A response's answers by partition, in the order they came (a partition asked about twice has two). */
    private static final class Answers<T> {
        private final Map<PartitionId, ArrayDeque<T>> byId = new HashMap<>();

        void add(PartitionId id, T answer) {
            byId.computeIfAbsent(id, k -> new ArrayDeque<>()).add(answer);
        }

        /** The next answer for {@code id}, or null when the response has no more. */
        T next(PartitionId id) {
            ArrayDeque<T> q = byId.get(id);
            return q == null ? null : q.poll();
        }
    }

    private interface Parser<T> {
        T parse();
    }

    private <T> T parse(Parser<T> parser) {
        try {
            return parser.parse();
        } catch (RuntimeException e) {
            disconnect();
            throw new ReplicaFetchException(
                    ReplicaFetchException.NETWORK_EXCEPTION, address, "malformed response: " + e.getMessage(), e);
        }
    }

    /**
     * Sends one request and reads its response, both within {@code timeoutMs} (connecting too, when there is no
     * connection); returns the response body, past its header.
     */
    private ByteBuffer roundTrip(ApiKeys api, short version, ApiMessage body, long timeoutMs) {
        if (closed) {
            throw new ReplicaFetchException(ReplicaFetchException.NETWORK_EXCEPTION, address, "the client is closed");
        }
        long deadline = System.nanoTime() + Duration.ofMillis(timeoutMs).toNanos();
        try {
            if (channel == null) {
                connect(deadline);
            }
            RequestHeader header = new RequestHeader(api, version, clientId, ++correlationId);
            ByteBuffer frame = RequestUtils.serialize(header.data(), header.headerVersion(), body, version);
            ByteBuffer size = ByteBuffer.allocate(4).putInt(0, frame.remaining());
            write(new ByteBuffer[] {size, frame}, deadline);

            ByteBuffer length = ByteBuffer.allocate(4);
            read(length, deadline);
            int n = length.getInt(0);
            if (n < 4) {
                throw new IOException("response frame of " + n + " bytes");
            }
            ByteBuffer response = ByteBuffer.allocate(n);
            read(response, deadline);
            response.flip();
            int correlation = ResponseHeader.parse(response, api.responseHeaderVersion(version))
                    .correlationId();
            if (correlation != header.correlationId()) {
                throw new IOException(
                        "response to request " + correlation + " while waiting for " + header.correlationId());
            }
            return response;
        } catch (TimedOut e) {
            disconnect();
            throw new ReplicaFetchException(
                    ReplicaFetchException.REQUEST_TIMED_OUT,
                    address,
                    api.name + " v" + version + ": no answer within " + timeoutMs + " ms");
        } catch (IOException | RuntimeException e) {
            disconnect();
            String why = closed ? "the client was closed" : e.getClass().getSimpleName() + ": " + e.getMessage();
            throw new ReplicaFetchException(
                    ReplicaFetchException.NETWORK_EXCEPTION, address, api.name + " v" + version + ": " + why, e);
        }
    }

    private void connect(long deadline) throws IOException {
        Selector s = Selector.open();
        SocketChannel c = null;
        try {
            c = SocketChannel.open();
            c.configureBlocking(false);
            c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel = c;
            selector = s;
            key = c.register(s, 0);
            if (!c.connect(new InetSocketAddress(host, port))) {
                while (!c.finishConnect()) {
                    await(SelectionKey.OP_CONNECT, deadline);
                }
            }
        } catch (IOException | RuntimeException e) {
            disconnect();
            throw e;
        }
    }

    private void write(ByteBuffer[] buffers, long deadline) throws IOException {
        while (buffers[buffers.length - 1].hasRemaining()) {
            if (channel.write(buffers) == 0) {
                await(SelectionKey.OP_WRITE, deadline);
            }
        }
    }

    private void read(ByteBuffer buffer, long deadline) throws IOException {
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer);
            if (n < 0) {
                throw new EOFException("the broker closed the connection");
            }
            if (n == 0) {
                await(SelectionKey.OP_READ, deadline);
            }
        }
    }

    /** Waits until the channel is ready for {@code op}, the deadline passes, or the client is closed. */
    private void await(int op, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new TimedOut();
        }
        key.interestOps(op);
        selector.select(Math.max(1, Duration.ofNanos(left).toMillis()));
        selector.selectedKeys().clear();
        if (closed) {
            throw new ClosedSelectorException();
        }
    }

    private void disconnect() {
        closeQuietly(channel);
        closeQuietly(selector);
        channel = null;
        selector = null;
        key = null;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // already failing or closing; nothing more to do with it
            }
        }
    }

    /** Closes the connection; a call in progress on another thread ends with {@link ReplicaFetchException}. */
    @Override
    public void close() {
        closed = true;
        Selector s = selector;
        if (s != null) {
            s.wakeup();
        }
        synchronized (this) {
            disconnect();
        }
    }

    @Override
    public String toString() {
        return "ReplicaFetchClient[" + address + ", replica " + replicaId + "]";
    }

    /** The deadline passed; an exception of its own so it is told apart from a failed connection. */
    private static final class TimedOut extends IOException {
        TimedOut() {
            super("deadline passed");
        }
    }
}
