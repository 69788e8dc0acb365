package dev.tributary.broker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.ClusterProcesses;
import dev.tributary.broker.RawClient;
import dev.tributary.log.KafkaDumpTool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A three-node cluster of broker processes ({@link ClusterProcesses}) set up for fault tests: short broker
 * sessions, topics at replication factor 3 with {@code min.insync.replicas=2}, an Admin client over every node,
 * and the waits the scenarios share (a partition's leader, full ISRs) plus the final read-back into a {@link
 * DeliveryChecker}.
 */
public final class FaultCluster implements AutoCloseable {
    public static final int NODES = 3;
    public static final long SESSION_TIMEOUT_MS = 3000;
    /** The system property that lengthens the scenarios (more rounds). */
    public static final String LONG_PROPERTY = "tributary.faults.long";

    private final ClusterProcesses processes;
    private Admin admin;

    private FaultCluster(ClusterProcesses processes) {
        this.processes = processes;
    }

    /** Whether the scenarios run long ({@code -Dtributary.faults.long=true}). */
    public static boolean longRun() {
        return Boolean.getBoolean(LONG_PROPERTY);
    }

    /** {@code shortRounds}, or {@code longRounds} with {@code -Dtributary.faults.long=true}. */
    public static int rounds(int shortRounds, int longRounds) {
        return longRun() ? longRounds : shortRounds;
    }

    /** Starts three nodes in {@code dir} and waits until every one is listening and registered. */
    public static FaultCluster start(Path dir, String... extraSettings) throws Exception {
        List<String> settings = new ArrayList<>(List.of(
                "broker.session.timeout.ms=" + SESSION_TIMEOUT_MS,
                "broker.heartbeat.interval.ms=500",
                "replica.lag.time.max.ms=5000"));
        settings.addAll(List.of(extraSettings));
        FaultCluster cluster = new FaultCluster(new ClusterProcesses(dir, NODES, settings));
        try {
            for (int i = 1; i <= NODES; i++) {
                cluster.processes.start(i);
            }
            for (int i = 1; i <= NODES; i++) {
                cluster.processes.awaitListening(i, Duration.ofSeconds(60));
            }
            Properties p = new Properties();
            p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.processes.bootstrapAll());
            p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
            p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
            cluster.admin = Admin.create(p);
            // every node must see the three brokers unfenced: the one that takes CreateTopics checks the
            // replication factor against the live brokers of its own copy of the metadata
            await("every node lists the three brokers")
                    .atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .untilAsserted(() -> {
                        for (int node = 1; node <= NODES; node++) {
                            assertThat(cluster.brokersListedBy(node))
                                    .as("brokers listed by node " + node)
                                    .containsExactly(1, 2, 3);
                        }
                    });
            return cluster;
        } catch (Throwable t) {
            cluster.processes.printLogs();
            cluster.close();
            throw t;
        }
    }

    /** The broker ids {@code node} itself answers DescribeCluster with (an Admin client may ask any node). */
    public Set<Integer> brokersListedBy(int node) throws IOException {
        try (RawClient c = new RawClient(processes.kafkaPort(node))) {
            DescribeClusterResponseData r =
                    c.send(ApiKeys.DESCRIBE_CLUSTER, (short) 0, new DescribeClusterRequestData());
            Set<Integer> ids = new TreeSet<>();
            r.brokers().forEach(b -> ids.add(b.brokerId()));
            return ids;
        }
    }

    public ClusterProcesses processes() {
        return processes;
    }

    public Admin admin() {
        return admin;
    }

    public String bootstrap() {
        return processes.bootstrapAll();
    }

    /**
     * Creates {@code topic} with replication factor 3 and the topic config {@code min.insync.replicas=2}, and
     * waits until every partition has a leader and all three replicas in its ISR.
     */
    public void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(
                        List.of(new NewTopic(topic, partitions, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                .all()
                .get(30, TimeUnit.SECONDS);
        awaitFullIsr(topic, Duration.ofSeconds(30));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        // any node may answer, and one that has not applied the creation yet does not know the topic
        String minIsr = await("the cluster describes " + topic)
                .atMost(Duration.ofSeconds(15))
                .ignoreExceptions()
                .until(
                        () -> admin.describeConfigs(List.of(resource))
                                .all()
                                .get(5, TimeUnit.SECONDS)
                                .get(resource)
                                .get("min.insync.replicas")
                                .value(),
                        v -> v != null);
        assertThat(minIsr)
                .as("min.insync.replicas of " + topic + " as the cluster describes it")
                .isEqualTo("2");
    }

    public TopicDescription describe(String topic) throws Exception {
        return admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(topic);
    }

    /** The partition's leader as the cluster describes it now; -1 when it has none. */
    public int leader(String topic, int partition) throws Exception {
        Node leader = describe(topic).partitions().get(partition).leader();
        return leader == null ? -1 : leader.id();
    }

    /** Waits until the partition has a leader other than {@code not}; returns it. */
    public int awaitLeaderOtherThan(String topic, int partition, int not, Duration atMost) {
        int[] found = {-1};
        await("partition " + topic + "-" + partition + " led by a node other than " + not)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    found[0] = leader(topic, partition);
                    return found[0] != -1 && found[0] != not;
                });
        return found[0];
    }

    /** Waits until every partition of {@code topic} has a leader and the ISR holds all three nodes. */
    public void awaitFullIsr(String topic, Duration atMost) {
        await("every partition of " + topic + " with a leader and ISR [1, 2, 3]")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    for (TopicPartitionInfo p : describe(topic).partitions()) {
                        assertThat(p.leader()).as("leader of " + p.partition()).isNotNull();
                        assertThat(ids(p.isr())).as("ISR of " + p.partition()).containsExactly(1, 2, 3);
                    }
                });
    }

    /** Partition number to the ids in its ISR, as the cluster describes it now. */
    public Map<Integer, Set<Integer>> isrs(String topic) throws Exception {
        Map<Integer, Set<Integer>> out = new HashMap<>();
        for (TopicPartitionInfo p : describe(topic).partitions()) {
            out.put(p.partition(), ids(p.isr()));
        }
        return out;
    }

    private static Set<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Reads every partition of {@code topic} once from its start, up to the log end offsets the leaders report
     * (which cover every acknowledged record), into {@code checker} as read back.
     */
    public void readBack(String topic, int partitions, DeliveryChecker checker) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                all.add(new TopicPartition(topic, i));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all, Duration.ofSeconds(30));
            Map<Integer, Long> acked = checker.acknowledgedEnds();
            for (TopicPartition tp : all) {
                assertThat(ends.get(tp))
                        .as("high watermark of " + tp + " covers every acknowledged record")
                        .isGreaterThanOrEqualTo(acked.getOrDefault(tp.partition(), 0L));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!reached(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    checker.readBack(r.partition(), r.offset(), r.value());
                }
            }
            assertThat(reached(consumer, ends))
                    .as("read back up to " + ends + " within 60 s")
                    .isTrue();
        }
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey(), Duration.ofSeconds(10)) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@link DeliveryChecker#verify()}; when it fails, prints every node's record batches (Kafka's
     * DumpLogSegments: offsets, leader epoch, producer id, epoch and sequence) of the partitions of {@code topic}
     * that the problems name, around the offsets they name, before rethrowing.
     */
    public void verify(DeliveryChecker checker, String topic) {
        try {
            checker.verify();
        } catch (AssertionError e) {
            Matcher m = Pattern.compile("partition (\\d+)[^\\n]*?offsets? (\\d+)")
                    .matcher(String.join("\n", checker.problems()));
            Map<Integer, long[]> windows = new TreeMap<>();
            while (m.find()) {
                long offset = Long.parseLong(m.group(2));
                windows.merge(Integer.parseInt(m.group(1)), new long[] {offset - 5, offset + 5}, (a, b) ->
                        new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            }
            windows.forEach((partition, window) -> printBatches(topic, partition, window[0], window[1]));
            throw e;
        }
    }

    /** Prints each node's batches of {@code topic}-{@code partition} that overlap offsets {@code from..to}. */
    public void printBatches(String topic, int partition, long from, long to) {
        for (int node = 1; node <= NODES; node++) {
            Path dir = processes.dataDir(node).resolve(topic + "-" + partition);
            System.out.println("===== batches of " + dir.getFileName() + " on node " + node + " overlapping offsets "
                    + from + ".." + to + " =====");
            try (Stream<Path> files = Files.list(dir)) {
                String logs = files.filter(f -> f.toString().endsWith(".log"))
                        .sorted()
                        .map(Path::toString)
                        .collect(Collectors.joining(","));
                String out = KafkaDumpTool.run("--files", logs);
                out.lines()
                        .filter(l -> {
                            Matcher b = Pattern.compile("baseOffset: (\\d+) lastOffset: (\\d+)")
                                    .matcher(l);
                            return b.find() && Long.parseLong(b.group(2)) >= from && Long.parseLong(b.group(1)) <= to;
                        })
                        .forEach(System.out::println);
            } catch (Exception ex) {
                System.out.println("(could not dump: " + ex + ")");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        processes.close();
    }
}
