package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One partition replicated on three broker processes ({@code replication.factor} 3, {@code min.insync.replicas}
 * 2): the followers fetch the leader's batches and hold byte-identical segment files; an idempotent
 * {@code acks=all} producer keeps going when the leader is killed with SIGKILL; the restarted node truncates to
 * its new leader, catches up and rejoins the ISR; every acknowledged record is read back once, in order; and
 * Apache Kafka's DumpLogSegments reads the leader's and the followers' segments without an error.
 */
class ReplicatedPartitionTest {
    private static final String TOPIC = "replicated";
    private static final int NODES = 3;

    @TempDir
    Path dir;

    @Test
    void followersCopyTheLeaderAndTheProducerSurvivesTheLeadersDeath() throws Throwable {
        try (ClusterProcesses cluster = new ClusterProcesses(
                dir,
                NODES,
                List.of(
                        "broker.session.timeout.ms=3000",
                        "broker.heartbeat.interval.ms=500",
                        "default.replication.factor=3",
                        "min.insync.replicas=2",
                        "replica.lag.time.max.ms=5000"))) {
            try {
                for (int i = 1; i <= NODES; i++) {
                    cluster.start(i);
                }
                for (int i = 1; i <= NODES; i++) {
                    cluster.awaitListening(i, Duration.ofSeconds(60));
                }
                String bootstrap = cluster.bootstrap(1) + "," + cluster.bootstrap(2) + "," + cluster.bootstrap(3);
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    cluster.awaitEveryNodeListsAll(Duration.ofSeconds(40));
                    admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    awaitFullIsr(admin);

                    List<String> acked = new ArrayList<>();
                    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                        acked.addAll(send(producer, 0, 2000));
                        int leader = leader(admin);
                        System.out.println("killing leader " + leader);
                        cluster.process(leader).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                        acked.addAll(send(producer, 2000, 2000));
                        await("a new leader")
                                .atMost(Duration.ofSeconds(30))
                                .ignoreExceptions()
                                .until(() -> leader(admin) != leader);
                        cluster.start(leader);
                        cluster.awaitListening(leader, Duration.ofSeconds(60));
                        acked.addAll(send(producer, 4000, 1000));
                    }
                    awaitFullIsr(admin);

                    List<String> read = consumeAll(bootstrap, acked.size());
                    assertThat(read)
                            .as("every acknowledged record once, in order")
                            .isEqualTo(acked);

                    await("all three replicas hold the same bytes")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(500))
                            .untilAsserted(() -> {
                                byte[] first = logBytes(cluster.dataDir(1));
                                assertThat(first.length).isPositive();
                                for (int i = 2; i <= NODES; i++) {
                                    assertThat(logBytes(cluster.dataDir(i)))
                                            .as("segment bytes of node " + i + " against node 1")
                                            .isEqualTo(first);
                                }
                            });

                    // Kafka's own DumpLogSegments reads every replica's segments and indexes without an error
                    int leader = leaderOf(bootstrap);
                    for (int i = 1; i <= NODES; i++) {
                        String out = dev.tributary.log.KafkaDumpTool.run(
                                "--deep-iteration", "--files", filesOf(cluster.dataDir(i), ".log"));
                        assertThat(out)
                                .as("DumpLogSegments of node " + i + (i == leader ? " (leader)" : " (follower)"))
                                .doesNotContainIgnoringCase("corrupt")
                                .doesNotContainIgnoringCase("exception")
                                .doesNotContainIgnoringCase("isValid: false")
                                .doesNotContainIgnoringCase("error");
                        assertThat(out.lines()
                                        .filter(l -> l.startsWith("| offset:"))
                                        .count())
                                .as("records node " + i + " holds")
                                .isEqualTo(acked.size());
                        String index = dev.tributary.log.KafkaDumpTool.run(
                                "--verify-index-only", "--files", filesOf(cluster.dataDir(i), ".index"));
                        assertThat(index).doesNotContainIgnoringCase("mismatch").doesNotContainIgnoringCase("error");
                    }
                }
            } catch (Throwable t) {
                cluster.printLogs();
                throw t;
            }
        }
    }

    private static void awaitFullIsr(Admin admin) {
        await("ISR of all three replicas")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    TopicDescription d = admin.describeTopics(List.of(TOPIC))
                            .allTopicNames()
                            .get(5, TimeUnit.SECONDS)
                            .get(TOPIC);
                    Set<Integer> isr = d.partitions().get(0).isr().stream()
                            .map(Node::id)
                            .collect(Collectors.toCollection(TreeSet::new));
                    assertThat(isr).containsExactly(1, 2, 3);
                });
    }

    private static int leader(Admin admin) throws Exception {
        Node leader = admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(TOPIC)
                .partitions()
                .get(0)
                .leader();
        return leader == null ? -1 : leader.id();
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** Sends values {@code from .. from+count-1} and returns them in offset order once all are acknowledged. */
    private static List<String> send(KafkaProducer<String, String> producer, int from, int count) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            String v = "v" + i;
            values.add(v);
            futures.add(producer.send(new ProducerRecord<>(TOPIC, 0, null, v)));
            if (i % 100 == 0) {
                Thread.sleep(5);
            }
        }
        long last = -1;
        for (Future<RecordMetadata> f : futures) {
            long offset = f.get(120, TimeUnit.SECONDS).offset();
            assertThat(offset).as("offsets grow in send order").isGreaterThan(last);
            last = offset;
        }
        return values;
    }

    private static List<String> consumeAll(String bootstrap, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + 60_000;
            while (out.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    out.add(r.value());
                }
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(1000))) {
                out.add(r.value()); // anything past the expected count is a duplicate the assertion shows
            }
        }
        return out;
    }

    private static int leaderOf(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            return leader(admin);
        }
    }

    private static String filesOf(Path dataDir, String suffix) throws IOException {
        try (Stream<Path> s = Files.list(dataDir.resolve(TOPIC + "-0"))) {
            return s.filter(f -> f.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .map(Path::toString)
                    .collect(Collectors.joining(","));
        }
    }

    /** The partition's segment files of one node, concatenated in offset order. */
    private static byte[] logBytes(Path dataDir) throws IOException {
        Path partitionDir = dataDir.resolve(TOPIC + "-0");
        List<Path> segments;
        try (Stream<Path> s = Files.list(partitionDir)) {
            segments = s.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (Path f : segments) {
            out.write(Files.readAllBytes(f));
        }
        return out.toByteArray();
    }
}
