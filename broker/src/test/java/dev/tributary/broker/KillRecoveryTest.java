package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Kills a broker process with SIGKILL while an acks=all producer writes, restarts it on the same data,
 * and checks that every acknowledged record is there exactly once. The producer does not retry, so a
 * record can only be in the log once; an unacknowledged one may or may not be there.
 * {@code -Dtributary.kill.rounds=N} repeats it (the issue asks for 10 rounds before resolving).
 */
class KillRecoveryTest {

    private static Process startBroker(Path dataDir, int port) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx512m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.tributary.broker.cli.TributaryCommand",
                        "broker",
                        "--listen",
                        "127.0.0.1:" + port,
                        "--data-dir",
                        dataDir.toString(),
                        "--registry-listen",
                        "none") // tests bind no fixed ports
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        AtomicBoolean listening = new AtomicBoolean();
        AtomicReference<String> lastLine = new AtomicReference<>();
        Thread drain = new Thread(
                () -> { // reads the output to its end, which also keeps the pipe empty
                    try {
                        String line;
                        while ((line = out.readLine()) != null) {
                            lastLine.set(line);
                            if (line.startsWith("Tributary broker listening on")) {
                                listening.set(true);
                            }
                        }
                    } catch (Exception ignored) {
                        // process ended
                    }
                });
        drain.setDaemon(true);
        drain.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> listening.get() || !p.isAlive());
        } catch (ConditionTimeoutException e) {
            // reported below
        }
        if (!listening.get()) {
            p.destroyForcibly();
            throw new AssertionError("broker process did not start (last line: " + lastLine.get() + ")");
        }
        return p;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void shouldKeepEveryAcknowledgedRecordExactlyOnceAfterSigkill() throws Exception {
        int rounds = Integer.getInteger("tributary.kill.rounds", 1);
        for (int round = 0; round < rounds; round++) {
            oneRound(round);
        }
    }

    private void oneRound(int round) throws Exception {
        Path dataDir = Files.createTempDirectory("tributary-kill-");
        int port = freePort();
        String bootstrap = "127.0.0.1:" + port;
        Process broker = startBroker(dataDir, port);
        Set<String> acked = ConcurrentHashMap.newKeySet();
        try {
            Properties p = new Properties();
            p.put("bootstrap.servers", bootstrap);
            p.put("acks", "all");
            p.put("enable.idempotence", "false");
            p.put("retries", "0");
            p.put("linger.ms", "2");
            p.put("delivery.timeout.ms", "3000");
            p.put("request.timeout.ms", "2000");
            p.put("max.block.ms", "3000");
            KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
            // first record synchronously: the topic is auto-created and the pipeline is flowing
            String first = "r" + round + "-first";
            producer.send(new ProducerRecord<>("kill", 0, null, first)).get(30, TimeUnit.SECONDS);
            acked.add(first);
            long killAt = System.currentTimeMillis() + 1500;
            int sent = 0;
            while (System.currentTimeMillis() < killAt) {
                String v = "r" + round + "-" + sent++;
                producer.send(new ProducerRecord<>("kill", 0, null, v), (md, e) -> {
                    if (e == null) {
                        acked.add(v);
                    }
                });
                if (sent % 200 == 0) {
                    Thread.sleep(1);
                }
            }
            broker.destroyForcibly(); // SIGKILL
            assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
            producer.close(Duration.ofSeconds(5));
            assertThat(acked).as("records acknowledged before the kill").hasSizeGreaterThan(1);

            broker = startBroker(dataDir, port);
            Map<String, Integer> seen = new HashMap<>();
            Properties c = new Properties();
            c.put("bootstrap.servers", bootstrap);
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("kill", 0);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long end = consumer.endOffsets(List.of(tp)).get(tp);
                // poll back to back: at Awaitility's default 100 ms between polls of 500 records, reading the
                // 100,000-200,000 records a fast machine writes in 1.5 s would take longer than the timeout
                await().atMost(Duration.ofSeconds(30))
                        .pollInSameThread()
                        .pollInterval(Duration.ofMillis(1))
                        .until(() -> {
                            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                                seen.merge(r.value(), 1, Integer::sum);
                            }
                            return consumer.position(tp) >= end;
                        });
            }
            for (String v : acked) {
                assertThat(seen.get(v))
                        .as("acknowledged record %s (round %d, %d acked)", v, round, acked.size())
                        .isEqualTo(1);
            }
            assertThat(seen.values()).allMatch(n -> n == 1);
            System.out.printf(
                    "kill round %d: %d acknowledged before SIGKILL, %d in the log after restart, all acknowledged present once%n",
                    round, acked.size(), seen.size());
        } finally {
            broker.destroyForcibly();
            broker.waitFor(30, TimeUnit.SECONDS);
            try (var s = Files.walk(dataDir)) {
                s.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
