package dev.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tributary.log.Log;
import dev.tributary.log.cleaner.LogCleaner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Compaction through a real broker with the official kafka-clients 4.3.1. */
class CompactionConformanceTest {
    static final int KEYS = 5_000;
    static final int VERSIONS = 10;

    private EmbeddedBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private EmbeddedBroker start(Map<String, String> config) {
        EmbeddedBroker.Builder b = EmbeddedBroker.builder()
                .config("log.cleaner.backoff.ms", "100")
                .config("log.cleaner.dedupe.buffer.size", Integer.toString(16 << 20));
        config.forEach(b::config);
        return b.start();
    }

    private KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("acks", "all");
        p.put("linger.ms", "5");
        p.put("retries", "0");
        p.put("enable.idempotence", "false");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("auto.offset.reset", "earliest");
        p.put("enable.auto.commit", "false");
        if (group != null) {
            p.put("group.id", group);
        }
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private LogCleaner cleaner() {
        return broker.broker().logCleaner();
    }

    private Log log(String topic) {
        return broker.broker()
                .services()
                .partitions()
                .logManager()
                .get(topic, 0)
                .orElseThrow();
    }

    /** Everything in partition 0 of {@code topic} from the beginning, read with a consumer. */
    private List<ConsumerRecord<String, String>> readAll(String topic) {
        TopicPartition tp = new TopicPartition(topic, 0);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = consumer(null)) {
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            await("reading " + tp + " to " + end)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        c.poll(Duration.ofMillis(200)).forEach(out::add);
                        return c.position(tp) >= end;
                    });
            assertThat(c.position(tp)).as("read to the end offset").isEqualTo(end);
        }
        return out;
    }

    @Test
    void shouldReadBackOnlyLatestValuesAndNoDeletedKeysAfterCompaction() throws Exception {
        broker = start(Map.of());
        broker.createTopic(
                "table",
                1,
                Map.of(
                        "cleanup.policy",
                        "compact",
                        "segment.ms",
                        "300",
                        "min.cleanable.dirty.ratio",
                        "0.01",
                        "delete.retention.ms",
                        "0"));
        try (KafkaProducer<String, String> p = producer()) {
            for (int v = 0; v < VERSIONS; v++) {
                for (int k = 0; k < KEYS; k++) {
                    p.send(new ProducerRecord<>("table", "k" + k, "v" + v + "-k" + k));
                }
                p.flush();
            }
            for (int k = 0; k < KEYS; k += 10) {
                p.send(new ProducerRecord<>("table", "k" + k, null));
            }
            p.flush();
            long written = log("table").logEndOffset();
            assertThat(written).isEqualTo((long) KEYS * VERSIONS + KEYS / 10);
            // segment.ms rolls the active segment on the next append; a first cleaning stamps the tombstones'
            // delete horizon (delete.retention.ms=0), a later one removes them
            await("the cleaner removing the tombstones")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(350))
                    .until(() -> {
                        if (cleaner().totals().tombstonesRemoved() >= KEYS / 10) {
                            return true;
                        }
                        p.send(new ProducerRecord<>("table", "tick", Long.toString(System.currentTimeMillis())))
                                .get();
                        return false;
                    });
            assertThat(cleaner().totals().tombstonesRemoved()).isEqualTo(KEYS / 10);
        }
        List<ConsumerRecord<String, String>> records = readAll("table");
        Map<String, List<String>> byKey = new HashMap<>();
        long prev = -1;
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.offset()).as("offsets strictly increase").isGreaterThan(prev);
            prev = r.offset();
            byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
        }
        for (int k = 0; k < KEYS; k++) {
            if (k % 10 == 0) {
                assertThat(byKey).as("deleted key k%d is gone", k).doesNotContainKey("k" + k);
            } else {
                assertThat(byKey.get("k" + k)).as("key k%d", k).containsExactly("v" + (VERSIONS - 1) + "-k" + k);
            }
        }
        assertThat(records.size())
                .as("4,500 live keys plus the tick key's newest records")
                .isBetween(KEYS - KEYS / 10 + 1, KEYS - KEYS / 10 + 10);
        assertThat(cleaner().lastStats()).isPresent();
        System.out.println("compaction figures: " + cleaner().totals() + "; last run: "
                + cleaner().lastStats().orElseThrow().summary());
    }

    @Test
    void shouldRejectARecordWithoutAKeyOnACompactedTopicWithInvalidRecord() throws Exception {
        broker = start(Map.of());
        broker.createTopic("table", 1, Map.of("cleanup.policy", "compact"));
        try (KafkaProducer<String, String> p = producer()) {
            assertThatThrownBy(() -> p.send(new ProducerRecord<>("table", null, "no key"))
                            .get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOf(InvalidRecordException.class);
            assertThat(p.send(new ProducerRecord<>("table", "key", "with key"))
                            .get()
                            .offset())
                    .isZero();
        }
        assertThat(log("table").logEndOffset())
                .as("nothing of the keyless append was written")
                .isEqualTo(1);
    }

    @Test
    void shouldKeepConsumerOffsetsSmallAcrossThousandsOfCommits() throws Exception {
        // a 200 ms roll for every topic, __consumer_offsets included, so the cleaner has inactive segments to clean
        broker = start(Map.of("log.roll.ms", "200"));
        broker.createTopic("events", 1, Map.of());
        try (KafkaProducer<String, String> p = producer()) {
            p.send(new ProducerRecord<>("events", "k", "v")).get();
        }
        TopicPartition tp = new TopicPartition("events", 0);
        int commits = 3_000;
        long appendedBytes;
        try (KafkaConsumer<String, String> c = consumer("g1")) {
            c.assign(List.of(tp));
            for (int i = 1; i <= commits; i++) {
                c.commitSync(Map.of(tp, new OffsetAndMetadata(i, "meta-" + i)));
            }
            Log offsets = log("__consumer_offsets");
            assertThat(offsets.logEndOffset()).as("every commit was written").isGreaterThanOrEqualTo(commits);
            appendedBytes = offsets.logEndOffset() * 40; // a commit record is well over 40 bytes
            long written = appendedBytes;
            await("the cleaner compacting __consumer_offsets")
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        if (cleaner().totals().runs() > 0 && offsets.size() <= written / 10) {
                            return true;
                        }
                        c.commitSync(Map.of(tp, new OffsetAndMetadata(commits, "meta-" + commits)));
                        return false;
                    });
            assertThat(offsets.size())
                    .as("__consumer_offsets compacted to a tenth of what was written")
                    .isLessThan(appendedBytes / 10);
            System.out.println("__consumer_offsets: " + offsets.logEndOffset() + " records written, "
                    + offsets.size() + " bytes on disk, " + offsets.numberOfSegments() + " segments; cleaner "
                    + cleaner().totals());
        }
        broker.restart();
        try (KafkaConsumer<String, String> c = consumer("g1")) {
            OffsetAndMetadata committed = c.committed(java.util.Set.of(tp)).get(tp);
            assertThat(committed.offset())
                    .as("the latest commit survives compaction and restart")
                    .isEqualTo(commits);
            assertThat(committed.metadata()).isEqualTo("meta-" + commits);
        }
    }
}
