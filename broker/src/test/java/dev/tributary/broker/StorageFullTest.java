package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broker whose data directory's filesystem fills up during produce, as a user sees it with the official
 * clients: a small tmpfs the test mounts (root only; skipped with the reason otherwise), part of it taken by
 * a filler file so the log fills it quickly. The producer must get KAFKA_STORAGE_ERROR naming the partition
 * and no server path, every acknowledged record must stay readable, and once the filler is deleted produce
 * must work again.
 */
class StorageFullTest {

    private static final String TOPIC = "full";
    private static final int VALUE_BYTES = 8 * 1024;

    private Path mountPoint;
    private boolean mounted;
    private TestBroker broker;

    @BeforeEach
    void mount() throws Exception {
        mountPoint = Files.createTempDirectory("tributary-tmpfs-");
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes()).trim();
        int exit = p.waitFor();
        Assumptions.assumeTrue(
                exit == 0, "cannot mount a tmpfs for the data directory (needs root): exit " + exit + " " + output);
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (mounted) {
            // lazy: the JVM may still map index files of the closed broker until a GC unmaps them
            new ProcessBuilder("umount", "-l", mountPoint.toString())
                    .inheritIO()
                    .start()
                    .waitFor();
        }
        Files.deleteIfExists(mountPoint);
    }

    @Test
    void shouldAnswerStorageErrorWhenTheDiskFillsAndKeepEveryAcknowledgedRecordReadable() throws Exception {
        Path filler = mountPoint.resolve("filler");
        writeFiller(filler, 8 * 1024 * 1024);
        broker = new TestBroker(Files.createDirectory(mountPoint.resolve("data")), Map.of());
        try (Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
        }
        TopicPartition tp = new TopicPartition(TOPIC, 0);

        Map<Long, byte[]> acknowledged = new LinkedHashMap<>();
        KafkaStorageException refused = null;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < 10_000 && refused == null; i++) {
                byte[] value = value(i);
                try {
                    RecordMetadata m = producer.send(new ProducerRecord<>(TOPIC, 0, null, value))
                            .get();
                    acknowledged.put(m.offset(), value);
                } catch (ExecutionException e) {
                    assertThat(e.getCause())
                            .as("what the producer got when the disk filled")
                            .isInstanceOf(KafkaStorageException.class);
                    refused = (KafkaStorageException) e.getCause();
                }
            }
        }

        assertThat(refused).as("the disk filled before 10 000 records").isNotNull();
        assertThat(refused.getMessage()).contains(TOPIC + "-0").doesNotContain(mountPoint.toString());
        assertThat(acknowledged).isNotEmpty();
        assertThat(readAll(tp, acknowledged.size())).containsExactlyEntriesOf(acknowledged);

        Files.delete(filler);
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            RecordMetadata after = producer.send(new ProducerRecord<>(TOPIC, 0, null, value(-1)))
                    .get();
            acknowledged.put(after.offset(), value(-1));
        }
        assertThat(readAll(tp, acknowledged.size())).containsExactlyEntriesOf(acknowledged);
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Properties p = broker.clientProps();
        p.put("acks", "all");
        // KAFKA_STORAGE_ERROR is retriable: without this the producer would retry until its delivery timeout.
        p.put("retries", "0");
        p.put("enable.idempotence", "false");
        p.put("linger.ms", "0");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** Reads from offset 0 until {@code expected} records came (or Awaitility gives up), offset to value. */
    private Map<Long, byte[]> readAll(TopicPartition tp, int expected) {
        Properties p = broker.clientProps();
        p.put("enable.auto.commit", "false");
        Map<Long, byte[]> read = new LinkedHashMap<>();
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            c.assign(List.of(tp));
            c.seek(tp, 0);
            await().atMost(Duration.ofSeconds(30))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
                            read.put(r.offset(), r.value());
                        }
                        return read.size() >= expected;
                    });
        }
        return read;
    }

    private static byte[] value(int i) {
        byte[] v = new byte[VALUE_BYTES];
        for (int j = 0; j < v.length; j++) {
            v[j] = (byte) (i * 31 + j);
        }
        return v;
    }

    private static void writeFiller(Path file, int bytes) throws IOException {
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < bytes; written += chunk.length) {
                out.write(chunk);
            }
        }
    }
}
