package dev.tributary.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.TestBroker;
import dev.tributary.broker.errors.ReplicaFetchException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.OffsetOutOfRangeException;
import dev.tributary.log.epoch.EpochEndOffset;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A follower's client against a real broker on loopback, with records written by the official producer: what it
 * fetches is the stored batches byte for byte, and its failures name the broker.
 */
class ReplicaFetchClientTest {
    private static final int RECORDS = 30;
    private static final PartitionId P0 = new PartitionId("orders", 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new TestBroker(Map.of("num.partitions", "1"));
        produce(broker, "orders", RECORDS);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** Records key-i / value-i, a few per batch (linger 0, one send awaited every 3). */
    private static void produce(TestBroker b, String topic, int count) throws Exception {
        Properties p = b.clientProps();
        p.put("enable.idempotence", "false");
        p.put("linger.ms", "0");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                var sent = producer.send(new ProducerRecord<>(topic, 0, "key-" + i, "value-" + i));
                if (i % 3 == 2) {
                    sent.get();
                }
            }
            producer.flush();
        }
    }

    private static ReplicaFetchClient client(int port) {
        return new ReplicaFetchClient("127.0.0.1", port, 2, "replica-2", TIMEOUT);
    }

    private static ReplicaFetchClient.FetchPosition at(PartitionId id, long offset) {
        return new ReplicaFetchClient.FetchPosition(id, offset, -1, 0, 1 << 20);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }

    private static Path segmentFile(PartitionId id) throws Exception {
        try (Stream<Path> files = Files.list(broker.dataDir().resolve(id.toString()))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .findFirst()
                    .orElseThrow();
        }
    }

    @Test
    void shouldFetchTheStoredBatchesByteForByte() throws Exception {
        try (ReplicaFetchClient c = client(broker.port())) {
            List<ReplicaFetchClient.Fetched> got = c.fetch(0, 1, 1 << 20, List.of(at(P0, 0)));

            assertThat(got).hasSize(1);
            ReplicaFetchClient.Fetched f = got.get(0);
            assertThat(f.error()).isNull();
            assertThat(f.id()).isEqualTo(P0);
            assertThat(f.highWatermark()).isEqualTo(RECORDS);
            assertThat(f.logStartOffset()).isZero();
            byte[] fetched = bytes(f.records());
            byte[] stored = Files.readAllBytes(segmentFile(P0));
            assertThat(fetched.length).isPositive().isLessThanOrEqualTo(stored.length);
            assertThat(fetched).isEqualTo(Arrays.copyOf(stored, fetched.length));

            List<Long> offsets = new ArrayList<>();
            int batches = 0;
            for (RecordBatch batch : MemoryRecords.readableRecords(f.records()).batches()) {
                batch.ensureValid();
                batches++;
                for (Record r : batch) {
                    long o = r.offset();
                    offsets.add(o);
                    assertThat(StandardCharsets.UTF_8.decode(r.key()).toString())
                            .isEqualTo("key-" + o);
                    assertThat(StandardCharsets.UTF_8.decode(r.value()).toString())
                            .isEqualTo("value-" + o);
                }
            }
            assertThat(batches).as("several batches").isGreaterThan(1);
            assertThat(offsets).hasSize(RECORDS);
            assertThat(offsets.get(0)).isZero();
            assertThat(offsets.get(RECORDS - 1)).isEqualTo(RECORDS - 1);
        }
    }

    @Test
    void shouldReturnOnlyWholeBatchesUnderASmallByteLimit() throws Exception {
        try (ReplicaFetchClient c = client(broker.port())) {
            ReplicaFetchClient.FetchPosition small = new ReplicaFetchClient.FetchPosition(P0, 0, -1, 0, 200);

            ReplicaFetchClient.Fetched f = c.fetch(0, 1, 200, List.of(small)).get(0);

            assertThat(f.error()).isNull();
            byte[] fetched = bytes(f.records());
            assertThat(fetched.length).isPositive();
            assertThat(fetched).isEqualTo(Arrays.copyOf(Files.readAllBytes(segmentFile(P0)), fetched.length));
            assertThat(CompleteBatches.prefix(f.records()).remaining()).isEqualTo(fetched.length);
        }
    }

    @Test
    void shouldWaitAboutMaxWaitAtTheLogEndAndReturnNothing() {
        try (ReplicaFetchClient c = client(broker.port())) {
            long start = System.nanoTime();
            ReplicaFetchClient.Fetched f =
                    c.fetch(400, 1, 1 << 20, List.of(at(P0, RECORDS))).get(0);
            long tookMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(f.error()).isNull();
            assertThat(f.records().remaining()).isZero();
            assertThat(f.highWatermark()).isEqualTo(RECORDS);
            assertThat(tookMs).isGreaterThanOrEqualTo(350).isLessThan(TIMEOUT.toMillis());
        }
    }

    @Test
    void shouldAnswerAnOffsetPastTheEndWithOffsetOutOfRange() {
        try (ReplicaFetchClient c = client(broker.port())) {
            ReplicaFetchClient.Fetched f =
                    c.fetch(0, 1, 1 << 20, List.of(at(P0, 1000))).get(0);

            assertThat(f.error())
                    .isInstanceOf(OffsetOutOfRangeException.class)
                    .hasMessageContaining("orders-0")
                    .hasMessageContaining("127.0.0.1:" + broker.port());
            assertThat(((OffsetOutOfRangeException) f.error()).requestedOffset())
                    .isEqualTo(1000);
            assertThat(f.records().remaining()).isZero();
        }
    }

    @Test
    void shouldAnswerEachPartitionInTheOrderAskedWithUnknownOnesRefused() {
        PartitionId missing = new PartitionId("no-such-topic", 0);
        try (ReplicaFetchClient c = client(broker.port())) {
            List<ReplicaFetchClient.Fetched> got = c.fetch(0, 1, 1 << 20, List.of(at(missing, 0), at(P0, RECORDS - 1)));

            assertThat(got).extracting(ReplicaFetchClient.Fetched::id).containsExactly(missing, P0);
            assertThat(got.get(0).error())
                    .isInstanceOf(UnknownTopicOrPartitionException.class)
                    .hasMessageContaining("no-such-topic-0");
            assertThat(got.get(1).error()).isNull();
            assertThat(got.get(1).records().remaining()).isPositive();
        }
    }

    @Test
    void shouldAskTheBrokerWhereAnEpochEnded() {
        PartitionId missing = new PartitionId("no-such-topic", 0);
        try (ReplicaFetchClient c = client(broker.port())) {
            List<ReplicaFetchClient.EpochAnswer> got = c.offsetsForLeaderEpoch(List.of(
                    new ReplicaFetchClient.EpochQuery(P0, -1, 0),
                    new ReplicaFetchClient.EpochQuery(missing, -1, 0),
                    new ReplicaFetchClient.EpochQuery(P0, 0, -1)));

            assertThat(got).extracting(ReplicaFetchClient.EpochAnswer::id).containsExactly(P0, missing, P0);
            // a single node has always had one leader: every epoch ends at its log end
            assertThat(got.get(0).error()).isNull();
            assertThat(got.get(0).answer()).isEqualTo(new EpochEndOffset(0, RECORDS));
            assertThat(got.get(1).error()).isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(got.get(1).answer()).isEqualTo(EpochEndOffset.UNDEFINED);
            assertThat(got.get(2).error()).isNull();
            assertThat(got.get(2).answer()).isEqualTo(EpochEndOffset.UNDEFINED);
        }
    }

    @Test
    void shouldConnectAgainAfterTheBrokerRestarts() throws Exception {
        try (TestBroker own = new TestBroker(Map.of("num.partitions", "1"));
                ReplicaFetchClient c = client(own.port())) {
            produce(own, "t", 3);
            PartitionId t0 = new PartitionId("t", 0);
            assertThat(c.fetch(0, 1, 1 << 20, List.of(at(t0, 0))).get(0).error())
                    .isNull();

            own.restart();

            // the old connection is gone: this call fails, naming the broker; the next one connects again
            assertThatThrownBy(() -> c.fetch(0, 1, 1 << 20, List.of(at(t0, 0))))
                    .isInstanceOf(ReplicaFetchException.class)
                    .hasMessageContaining("127.0.0.1:" + own.port());
            ReplicaFetchClient.Fetched f =
                    c.fetch(0, 1, 1 << 20, List.of(at(t0, 0))).get(0);
            assertThat(f.error()).isNull();
            assertThat(f.highWatermark()).isEqualTo(3);
            assertThat(f.records().remaining()).isPositive();
        }
    }

    @Test
    void shouldNameTheAddressOfABrokerThatIsNotThere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (ReplicaFetchClient c = client(port)) {
            assertThatThrownBy(() -> c.fetch(0, 1, 1 << 20, List.of(at(P0, 0))))
                    .isInstanceOfSatisfying(ReplicaFetchException.class, e -> {
                        assertThat(e.address()).isEqualTo("127.0.0.1:" + port);
                        assertThat(e.errorName()).isEqualTo(ReplicaFetchException.NETWORK_EXCEPTION);
                    })
                    .hasMessageContaining("127.0.0.1:" + port);
            assertThatThrownBy(() -> c.offsetsForLeaderEpoch(List.of(new ReplicaFetchClient.EpochQuery(P0, -1, 0))))
                    .isInstanceOf(ReplicaFetchException.class)
                    .hasMessageContaining("127.0.0.1:" + port);
        }
    }

    @Test
    void shouldTimeOutOnABrokerThatNeverAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ReplicaFetchClient c =
                        new ReplicaFetchClient("127.0.0.1", silent.getLocalPort(), 2, "r", Duration.ofMillis(300))) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(5_000);
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();

            assertThatThrownBy(() -> c.fetch(200, 1, 1 << 20, List.of(at(P0, 0))))
                    .isInstanceOfSatisfying(
                            ReplicaFetchException.class,
                            e -> assertThat(e.errorName()).isEqualTo(ReplicaFetchException.REQUEST_TIMED_OUT))
                    .hasMessageContaining("127.0.0.1:" + silent.getLocalPort());
            acceptor.interrupt();
        }
    }
}
