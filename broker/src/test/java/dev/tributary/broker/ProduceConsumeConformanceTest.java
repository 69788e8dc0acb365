package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The official kafka-clients 4.3.1 producer and consumer against a real broker, with no consumer group. */
class ProduceConsumeConformanceTest {
    private static TestBroker broker;

    @BeforeAll
    static void start() {
        broker = new TestBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    static KafkaProducer<String, String> producer(String compression) {
        Properties p = broker.clientProps();
        p.put("acks", "all");
        p.put("enable.idempotence", "false");
        p.put("compression.type", compression);
        p.put("linger.ms", "5");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    static KafkaConsumer<String, String> consumer() {
        Properties p = broker.clientProps();
        p.put("enable.auto.commit", "false");
        p.put("max.poll.records", "10000");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    static List<ConsumerRecord<String, String>> readAll(TopicPartition tp, long from, int expected) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer()) {
            c.assign(List.of(tp));
            c.seek(tp, from);
            await().atMost(Duration.ofSeconds(20))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .pollInSameThread()
                    .until(() -> {
                        c.poll(Duration.ofMillis(200)).forEach(out::add);
                        return out.size() >= expected;
                    });
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void shouldRoundTripRecordsWithKeysAndHeadersForEveryCodec(String codec) throws Exception {
        String topic = "codec-" + codec;
        int n = 2000;
        try (KafkaProducer<String, String> producer = producer(codec)) {
            for (int i = 0; i < n; i++) {
                RecordHeaders headers = new RecordHeaders();
                headers.add("h", ("v" + i).getBytes(StandardCharsets.UTF_8));
                producer.send(
                        new ProducerRecord<>(topic, null, 1_700_000_000_000L + i, "k" + i, "value-" + i, headers));
            }
            producer.flush();
        }
        List<ConsumerRecord<String, String>> got = readAll(new TopicPartition(topic, 0), 0, n);
        assertThat(got).hasSize(n);
        for (int i = 0; i < n; i++) {
            ConsumerRecord<String, String> r = got.get(i);
            assertThat(r.offset()).isEqualTo(i);
            assertThat(r.key()).isEqualTo("k" + i);
            assertThat(r.value()).isEqualTo("value-" + i);
            assertThat(r.timestamp()).isEqualTo(1_700_000_000_000L + i);
            assertThat(new String(r.headers().lastHeader("h").value(), StandardCharsets.UTF_8))
                    .isEqualTo("v" + i);
        }
    }

    @Test
    void shouldSeekAndFindOffsetsForTimestampsWithoutAGroup() throws Exception {
        String topic = "seek-times";
        long base = 1_800_000_000_000L;
        try (KafkaProducer<String, String> producer = producer("none")) {
            for (int i = 0; i < 100; i++) {
                RecordMetadata md = producer.send(new ProducerRecord<>(topic, 0, base + i * 10L, "k", "v" + i))
                        .get();
                assertThat(md.offset()).isEqualTo(i);
            }
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaConsumer<String, String> c = consumer()) {
            c.assign(List.of(tp));
            Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(Map.of(tp, base + 505));
            assertThat(found.get(tp).offset()).isEqualTo(51);
            assertThat(found.get(tp).timestamp()).isEqualTo(base + 510);
            assertThat(c.offsetsForTimes(Map.of(tp, base + 10_000)).get(tp)).isNull();
            assertThat(c.beginningOffsets(List.of(tp))).containsEntry(tp, 0L);
            assertThat(c.endOffsets(List.of(tp))).containsEntry(tp, 100L);
        }
        List<ConsumerRecord<String, String>> fromMiddle = readAll(tp, 42, 58);
        assertThat(fromMiddle).hasSize(58);
        assertThat(fromMiddle.get(0).offset()).isEqualTo(42);
        assertThat(fromMiddle.get(0).value()).isEqualTo("v42");
    }

    @Test
    void shouldWakeALongPollingFetchWhenRecordsArrive() throws Exception {
        String topic = "long-poll";
        TopicPartition tp = new TopicPartition(topic, 0);
        try (KafkaProducer<String, String> producer = producer("none")) {
            producer.send(new ProducerRecord<>(topic, "first")).get();
            Properties p = broker.clientProps();
            p.put("fetch.max.wait.ms", "10000");
            try (KafkaConsumer<String, String> c =
                    new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                c.assign(List.of(tp));
                c.seek(tp, 1);
                // the append comes once the consumer's fetch is parked on the broker
                CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                    await().atMost(Duration.ofSeconds(10))
                            .until(() -> broker.broker().fetches().parked() == 1);
                    producer.send(new ProducerRecord<>(topic, "second"));
                    producer.flush();
                });
                List<ConsumerRecord<String, String>> got = new ArrayList<>();
                // woken by the append, long before fetch.max.wait.ms (10 s) expires
                await().atMost(Duration.ofSeconds(8))
                        .pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1))
                        .pollInSameThread()
                        .until(() -> {
                            c.poll(Duration.ofMillis(200)).forEach(got::add);
                            return !got.isEmpty();
                        });
                sender.get(10, TimeUnit.SECONDS);
                assertThat(got).extracting(ConsumerRecord::value).containsExactly("second");
            }
        }
    }
}
