package dev.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Kills the broker process with SIGKILL while an idempotent acks=all producer writes, restarts it on the
 * same data dir and port, lets the producer finish (its unacknowledged batches are retried into the
 * restarted broker), and checks that every acknowledged record is in the log exactly once and that no
 * record is in it twice.
 *
 * <p>{@code -Dcrash.iterations=N} sets how many kill/restart cycles run (default 2); {@code -Dcrash.seed}
 * fixes the random kill times. The seed is printed.
 */
class BrokerCrashTest {

    private static final String TOPIC = "crash";
    private static final int PARTITIONS = 2;
    /** Exit status of a process killed by signal 9: 128 + 9. */
    private static final int SIGKILL_EXIT = 137;

    private Process process;
    private Path dataDir;
    private Path processLog;

    @AfterEach
    void cleanUp() throws IOException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
        if (dataDir != null) {
            try (var s = Files.walk(dataDir)) {
                s.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    private void startBroker(int port) throws Exception {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                CrashTestBrokerMain.class.getName(),
                dataDir.toString(),
                Integer.toString(port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(processLog.toFile()));
        long logSize = Files.exists(processLog) ? Files.size(processLog) : 0;
        process = pb.start();
        await("broker process ready on port " + port + "; see " + processLog)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new AssertionError(
                                "broker process exited with " + process.exitValue() + "; see " + processLog);
                    }
                    return Files.exists(processLog)
                            && Files.size(processLog) > logSize
                            && Files.readString(processLog)
                                    .substring((int) logSize)
                                    .contains("READY " + port);
                });
    }

    private void kill() throws InterruptedException {
        long pid = process.pid();
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("broker process " + pid + " died")
                .isTrue();
        // On Linux destroyForcibly() sends SIGKILL: the broker gets no chance to flush or snapshot.
        assertThat(process.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(SIGKILL_EXIT);
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.idempotence", "true");
        p.put("acks", "all");
        p.put("linger.ms", "2");
        p.put("batch.size", "4096");
        p.put("request.timeout.ms", "5000");
        p.put("delivery.timeout.ms", "120000");
        p.put("reconnect.backoff.ms", "50");
        p.put("reconnect.backoff.max.ms", "500");
        p.put("retry.backoff.ms", "50");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** Five idempotent batches of three records on partition 0, written before a kill and resent after it. */
    private static final class RawBatches {
        private final int iteration;
        private final long producerId;
        private final List<ByteBuffer> batches = new ArrayList<>();
        private final List<Long> offsets = new ArrayList<>();

        RawBatches(int iteration, int port) throws IOException {
            this.iteration = iteration;
            try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", port)) {
                producerId = conn.initProducerId();
            }
            for (int b = 0; b < 5; b++) {
                batches.add(batch(b * 3));
            }
        }

        private ByteBuffer batch(int baseSequence) {
            RecordBatchBuilder builder =
                    RecordBatchBuilder.create(Codec.NONE).producer(producerId, (short) 0, baseSequence);
            for (int r = 0; r < 3; r++) {
                byte[] v = value(baseSequence + r).getBytes(StandardCharsets.UTF_8);
                builder.append(System.currentTimeMillis(), v, v);
            }
            return builder.build();
        }

        private String value(int seq) {
            return "raw" + iteration + "-" + seq;
        }

        void writeAll(int port, Set<String> acked) throws IOException {
            try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", port)) {
                for (int b = 0; b < batches.size(); b++) {
                    ProduceResponseData.PartitionProduceResponse r = conn.produce(TOPIC, 0, batches.get(b));
                    assertThat(r.errorCode()).as("raw batch " + b).isEqualTo(Errors.NONE.code());
                    offsets.add(r.baseOffset());
                    for (int i = 0; i < 3; i++) {
                        acked.add(value(b * 3 + i));
                    }
                }
            }
        }

        void resendAndExpectDuplicates(int port) throws IOException {
            try (RawKafkaConnection conn = new RawKafkaConnection("127.0.0.1", port)) {
                for (int b = 0; b < batches.size(); b++) {
                    ProduceResponseData.PartitionProduceResponse r = conn.produce(TOPIC, 0, batches.get(b));
                    assertThat(r.errorCode())
                            .as("resent raw batch " + b + " after SIGKILL")
                            .isEqualTo(Errors.NONE.code());
                    assertThat(r.baseOffset())
                            .as("resent raw batch " + b + " acknowledged with its original offset")
                            .isEqualTo(offsets.get(b));
                }
                assertThat(conn.produce(TOPIC, 0, batch(100)).errorCode())
                        .as("sequence gap after restart")
                        .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER.code());
                assertThat(conn.initProducerId())
                        .as("producer ids never repeat after SIGKILL")
                        .isGreaterThan(producerId);
            }
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedRecordExactlyOnceAcrossSigkill() throws Exception {
        int iterations = Integer.getInteger("crash.iterations", 2);
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("BrokerCrashTest: iterations=" + iterations + " seed=" + seed);
        Random random = new Random(seed);
        dataDir = Files.createTempDirectory("tributary-crash-");
        processLog = Paths.get("target", "crash-broker-" + seed + ".log").toAbsolutePath();
        Files.createDirectories(processLog.getParent());
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        startBroker(port);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get();
        }

        Set<String> acked = ConcurrentHashMap.newKeySet();
        AtomicInteger failed = new AtomicInteger();
        AtomicLong sent = new AtomicLong();
        for (int iteration = 0; iteration < iterations; iteration++) {
            AtomicBoolean stop = new AtomicBoolean();
            int it = iteration;
            KafkaProducer<String, String> producer = producer(bootstrap);
            Thread writer = new Thread(
                    () -> {
                        long i = 0;
                        while (!stop.get()) {
                            String value = "i" + it + "-" + i++;
                            sent.incrementAndGet();
                            producer.send(new ProducerRecord<>(TOPIC, value, value), (md, e) -> {
                                if (e == null) {
                                    acked.add(value);
                                } else {
                                    failed.incrementAndGet();
                                }
                            });
                            if (i % 200 == 0) {
                                try {
                                    Thread.sleep(1);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        }
                    },
                    "crash-writer");
            writer.start();
            int ackedBefore = acked.size();
            long killAfter = 300 + random.nextInt(1200);
            Thread.sleep(killAfter);
            // Batches whose acknowledgement is lost are what idempotence is for. A client rarely hits that
            // window by chance, so a raw producer makes it certain: it writes batches right before the kill
            // and sends them all again after the restart.
            RawBatches raw = new RawBatches(it, port);
            raw.writeAll(port, acked);
            kill();
            int ackedAtKill = acked.size();
            Thread.sleep(random.nextInt(300));
            startBroker(port);
            raw.resendAndExpectDuplicates(port);
            Thread.sleep(500);
            stop.set(true);
            writer.join();
            producer.flush();
            producer.close(Duration.ofSeconds(60));
            System.out.printf(
                    "iteration %d: killed after %d ms with %d acked in this round, %d acked in total now, %d sends failed%n",
                    iteration, killAfter, ackedAtKill - ackedBefore, acked.size(), failed.get());
        }

        Map<String, Integer> seen = new HashMap<>();
        List<Long> perPartition = new ArrayList<>();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, String> c =
                new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                TopicPartition tp = new TopicPartition(TOPIC, partition);
                c.assign(List.of(tp));
                c.seekToBeginning(List.of(tp));
                long end = c.endOffsets(List.of(tp)).get(tp);
                perPartition.add(end);
                await("reading all of " + tp)
                        .atMost(Duration.ofSeconds(60))
                        .pollInSameThread()
                        .pollInterval(Duration.ZERO)
                        .until(() -> {
                            for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
                                seen.merge(r.value(), 1, Integer::sum);
                            }
                            return c.position(tp) >= end;
                        });
                assertThat(c.position(tp)).as("read all of " + tp).isEqualTo(end);
            }
        }
        System.out.printf(
                "sent %d, acked %d, failed %d, log holds %d records %s (seed %d)%n",
                sent.get(),
                acked.size(),
                failed.get(),
                seen.values().stream().mapToInt(Integer::intValue).sum(),
                perPartition,
                seed);

        assertThat(acked).as("the producer got acknowledgements").isNotEmpty();
        List<String> missing =
                acked.stream().filter(v -> !seen.containsKey(v)).limit(10).toList();
        assertThat(missing)
                .as("acknowledged records missing after SIGKILL (seed " + seed + ")")
                .isEmpty();
        List<String> duplicated = seen.entrySet().stream()
                .filter(e -> e.getValue() > 1)
                .map(Map.Entry::getKey)
                .limit(10)
                .toList();
        assertThat(duplicated)
                .as("records written more than once (seed " + seed + ")")
                .isEmpty();
    }
}
