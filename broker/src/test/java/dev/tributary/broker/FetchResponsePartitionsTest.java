package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.FetchSessionHandler;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.FetchResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A fetch response carries exactly the partitions of its own request, also when it was parked and the
 * client's assignment moved meanwhile, and a connection answers its requests in order while one of them
 * is parked. Requests are built the way kafka-clients' {@link FetchSessionHandler} builds them.
 */
class FetchResponsePartitionsTest {
    private static final short VERSION = 12;
    private static final int MAX_WAIT_MS = 3_000;
    private final TopicPartition crash0 = new TopicPartition("crash", 0);
    private final TopicPartition crash1 = new TopicPartition("crash", 1);
    private TestBroker broker;
    private KafkaProducer<String, String> producer;

    @BeforeEach
    void start() throws Exception {
        broker = new TestBroker();
        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic("crash", 2, (short) 1)))
                    .all()
                    .get();
        }
        producer = new KafkaProducer<>(broker.clientProps(), new StringSerializer(), new StringSerializer());
    }

    @AfterEach
    void stop() {
        producer.close();
        broker.close();
    }

    private static FetchSessionHandler.FetchRequestData build(
            FetchSessionHandler handler, TopicPartition... partitions) {
        FetchSessionHandler.Builder b = handler.newBuilder();
        for (TopicPartition tp : partitions) {
            b.add(tp, new FetchRequest.PartitionData(Uuid.ZERO_UUID, 0, -1, 1 << 20, Optional.empty()));
        }
        return b.build();
    }

    private static FetchRequest request(FetchSessionHandler.FetchRequestData d) {
        return FetchRequest.Builder.forConsumer(VERSION, MAX_WAIT_MS, 1, d.toSend())
                .metadata(d.metadata())
                .removed(d.toForget())
                .replaced(d.toReplace())
                .build(VERSION);
    }

    private CompletableFuture<FetchResponse> sendAsync(RawClient c, FetchRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return (FetchResponse) c.sendForResponse(ApiKeys.FETCH, VERSION, request.data());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Set<TopicPartition> partitionsOf(FetchResponse r) {
        return r.responseData(Map.of(), VERSION).keySet();
    }

    private void awaitParked(int n) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> broker.broker().fetches().parked() == n);
    }

    @Test
    void shouldAnswerAParkedFetchWithExactlyItsOwnPartitionsWhileTheAssignmentMoves() throws Exception {
        FetchSessionHandler handler = new FetchSessionHandler(new LogContext(), 0);
        try (RawClient a = new RawClient(broker.port());
                RawClient b = new RawClient(broker.port())) {
            // consumer A parks on crash-0; consumer B (the re-assigned one) parks on crash-1
            CompletableFuture<FetchResponse> onCrash0 = sendAsync(a, request(build(handler, crash0)));
            awaitParked(1);
            CompletableFuture<FetchResponse> onCrash1 =
                    sendAsync(b, request(build(new FetchSessionHandler(new LogContext(), 0), crash1)));
            awaitParked(2);

            producer.send(new ProducerRecord<>("crash", 1, null, "to-1")).get();
            FetchResponse r1 = onCrash1.get(10, TimeUnit.SECONDS);
            assertThat(partitionsOf(r1)).containsExactly(crash1);
            awaitParked(1);
            assertThat(onCrash0)
                    .as("an append to crash-1 does not answer the fetch parked on crash-0")
                    .isNotDone();

            producer.send(new ProducerRecord<>("crash", 0, null, "to-0")).get();
            FetchResponse r0 = onCrash0.get(10, TimeUnit.SECONDS);
            assertThat(partitionsOf(r0)).containsExactly(crash0);
            assertThat(handler.handleResponse(r0, VERSION))
                    .as("kafka-clients accepts the parked fetch's response")
                    .isTrue();

            // the same connection, re-assigned from crash-0 to crash-1: crash-1 already holds a record
            FetchResponse moved = sendAsync(a, request(build(handler, crash1))).get(10, TimeUnit.SECONDS);
            assertThat(partitionsOf(moved)).containsExactly(crash1);
            assertThat(handler.handleResponse(moved, VERSION)).isTrue();
        }
    }

    /**
     * A closing consumer sends its last, empty fetch (session 0, final epoch) on the connection where a fetch
     * is still parked. The broker answers in request order: first the parked fetch, with exactly its own
     * partition, once data arrives; then the empty fetch, at once, with no partition and no error.
     */
    @Test
    void shouldAnswerASessionCloseSentBehindAParkedFetchAfterItAndInOrder() throws Exception {
        FetchSessionHandler handler = new FetchSessionHandler(new LogContext(), 0);
        try (RawClient c = new RawClient(broker.port())) {
            RequestHeader parked = c.sendOnly(
                    ApiKeys.FETCH, VERSION, request(build(handler, crash1)).data());
            awaitParked(1);
            handler.notifyClose();
            FetchSessionHandler.FetchRequestData close = handler.newBuilder().build(); // what consumer.close() sends
            assertThat(close.toSend()).isEmpty();
            RequestHeader closing =
                    c.sendOnly(ApiKeys.FETCH, VERSION, request(close).data());
            assertThat(broker.broker().fetches().parked())
                    .as("the close request does not answer the parked fetch")
                    .isEqualTo(1);

            producer.send(new ProducerRecord<>("crash", 1, null, "late")).get();

            FetchResponse first = (FetchResponse) c.receive(parked); // fails if the close request's answer came first
            assertThat(partitionsOf(first)).containsExactly(crash1);
            assertThat(first.responseData(Map.of(), VERSION)
                            .get(crash1)
                            .records()
                            .sizeInBytes())
                    .isPositive();
            FetchResponse closed = (FetchResponse) c.receive(closing);
            assertThat(closed.error()).isEqualTo(Errors.NONE);
            assertThat(partitionsOf(closed)).isEmpty();
        }
    }
}
