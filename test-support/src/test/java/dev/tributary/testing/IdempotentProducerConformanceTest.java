package dev.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.InitProducerIdResponse;
import org.apache.kafka.common.requests.ProduceRequest;
import org.apache.kafka.common.requests.ProduceResponse;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official kafka-clients 4.3.1 idempotent producer, and hand-built duplicate and out-of-order batches. */
class IdempotentProducerConformanceTest {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static KafkaProducer<String, String> producer(String compression) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("compression.type", compression);
        p.put("linger.ms", "5");
        p.put("batch.size", "16384");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> readAll(TopicPartition tp, int atLeast) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("enable.auto.commit", "false");
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            await("reading " + tp + " to " + end)
                    .atMost(Duration.ofSeconds(20))
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        c.poll(Duration.ofMillis(200)).forEach(out::add);
                        return c.position(tp) >= end;
                    });
        }
        assertThat(out.size()).isGreaterThanOrEqualTo(atLeast);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldWriteEveryRecordOnceWithIdempotentProducer(String codec) throws Exception {
        String topic = "idempotent-" + codec;
        broker.createTopic(topic, 1, Map.of());
        int n = 2_000;
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (KafkaProducer<String, String> producer = producer(codec)) {
            for (int i = 0; i < n; i++) {
                sent.add(producer.send(new ProducerRecord<>(topic, "k" + i, "value-" + i)));
            }
            producer.flush();
            for (int i = 0; i < n; i++) {
                assertThat(sent.get(i).get().offset()).isEqualTo(i);
            }
        }

        List<ConsumerRecord<String, String>> read = readAll(new TopicPartition(topic, 0), n);

        assertThat(read).hasSize(n);
        for (int i = 0; i < n; i++) {
            assertThat(read.get(i).value()).isEqualTo("value-" + i);
            assertThat(read.get(i).offset()).isEqualTo(i);
        }
    }

    private static ByteBuffer batch(long producerId, short epoch, int baseSequence, int records) {
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE).producer(producerId, epoch, baseSequence);
        for (int i = 0; i < records; i++) {
            b.append(System.currentTimeMillis(), null, ("seq-" + (baseSequence + i)).getBytes(StandardCharsets.UTF_8));
        }
        return b.build();
    }

    private static ProduceResponseData.PartitionProduceResponse produce(
            RawKafkaConnection conn, String topic, ByteBuffer batch) {
        ProduceRequestData data = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(10_000);
        ProduceRequestData.TopicProduceData t = new ProduceRequestData.TopicProduceData().setName(topic);
        t.partitionData()
                .add(new ProduceRequestData.PartitionProduceData()
                        .setIndex(0)
                        .setRecords(MemoryRecords.readableRecords(batch)));
        data.topicData().add(t);
        ProduceResponse response = conn.send(new ProduceRequest.Builder((short) 9, (short) 9, data).build((short) 9));
        return response.data()
                .responses()
                .iterator()
                .next()
                .partitionResponses()
                .get(0);
    }

    @Test
    void shouldAcknowledgeDuplicateBatchWithOriginalOffsetWithoutWritingAndRejectSequenceGap() throws Exception {
        String topic = "raw-idempotent";
        broker.createTopic(topic, 1, Map.of());
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.port())) {
            InitProducerIdResponse init = conn.send(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                            .setTransactionalId(null)
                            .setTransactionTimeoutMs(Integer.MAX_VALUE))
                    .build(ApiKeys.INIT_PRODUCER_ID.latestVersion()));
            assertThat(init.error()).isEqualTo(Errors.NONE);
            long pid = init.data().producerId();
            short epoch = init.data().producerEpoch();

            ProduceResponseData.PartitionProduceResponse first = produce(conn, topic, batch(pid, epoch, 0, 3));
            ProduceResponseData.PartitionProduceResponse second = produce(conn, topic, batch(pid, epoch, 3, 2));
            ProduceResponseData.PartitionProduceResponse retryOfFirst = produce(conn, topic, batch(pid, epoch, 0, 3));
            ProduceResponseData.PartitionProduceResponse gap = produce(conn, topic, batch(pid, epoch, 9, 1));
            ProduceResponseData.PartitionProduceResponse staleEpoch =
                    produce(conn, topic, batch(pid, (short) (epoch - 1), 5, 1));
            ProduceResponseData.PartitionProduceResponse next = produce(conn, topic, batch(pid, epoch, 5, 1));

            assertThat(first.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(first.baseOffset()).isZero();
            assertThat(second.baseOffset()).isEqualTo(3);
            assertThat(retryOfFirst.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(retryOfFirst.baseOffset())
                    .as("duplicate acknowledged with the original offset")
                    .isZero();
            assertThat(gap.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
            assertThat(staleEpoch.errorCode()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH.code());
            assertThat(next.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(next.baseOffset())
                    .as("nothing was written by the duplicate or the rejected batches")
                    .isEqualTo(5);
        }
        List<ConsumerRecord<String, String>> read = readAll(new TopicPartition(topic, 0), 6);
        assertThat(read)
                .extracting(ConsumerRecord::value)
                .containsExactly("seq-0", "seq-1", "seq-2", "seq-3", "seq-4", "seq-5");
    }

    @Test
    void shouldFailTransactionalProducerFastWithClearError() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("transactional.id", "tx-1");
        p.put("max.block.ms", "20000");
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            long started = System.currentTimeMillis();
            org.assertj.core.api.Assertions.assertThatThrownBy(producer::initTransactions)
                    .isInstanceOf(org.apache.kafka.common.KafkaException.class)
                    .hasStackTraceContaining("not supported");
            assertThat(System.currentTimeMillis() - started)
                    .as("refused, not timed out")
                    .isLessThan(20_000);
        }
    }

    @Test
    void shouldRecogniseDuplicateAfterRestartFromProducerStateSnapshot() throws Exception {
        String topic = "raw-idempotent-restart";
        broker.createTopic(topic, 1, Map.of());
        long pid;
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.port())) {
            InitProducerIdResponse init = conn.send(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                            .setTransactionalId(null)
                            .setTransactionTimeoutMs(Integer.MAX_VALUE))
                    .build((short) 4));
            pid = init.data().producerId();
            assertThat(produce(conn, topic, batch(pid, (short) 0, 0, 2)).baseOffset())
                    .isZero();
        }
        broker.restart();
        try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", broker.port())) {
            ProduceResponseData.PartitionProduceResponse retry = produce(conn, topic, batch(pid, (short) 0, 0, 2));
            ProduceResponseData.PartitionProduceResponse gap = produce(conn, topic, batch(pid, (short) 0, 7, 1));
            InitProducerIdResponse again = conn.send(new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                            .setTransactionalId(null)
                            .setTransactionTimeoutMs(Integer.MAX_VALUE))
                    .build((short) 4));

            assertThat(retry.errorCode()).isEqualTo(Errors.NONE.code());
            assertThat(retry.baseOffset()).isZero();
            assertThat(gap.errorCode()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
            assertThat(again.data().producerId())
                    .as("producer ids never repeat across restarts")
                    .isGreaterThan(pid);
        }
        assertThat(readAll(new TopicPartition(topic, 0), 2)).hasSize(2);
    }
}
