package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group coordinator fails over with the leadership of its {@code __consumer_offsets} partition: three broker
 * processes, the offsets topic created through the quorum on the first FindCoordinator (3 partitions, replication
 * factor 3, compacted); a consumer group (kafka-clients' KafkaConsumer, committing synchronously after every poll)
 * reads a replicated topic; the coordinator's node is killed with SIGKILL. The group's offsets are then served by
 * the new coordinator, on another node, never behind what was committed before the kill nor behind any value seen
 * earlier, and the same consumer goes on reading to the end, records produced after the kill included.
 */
class ClusterGroupFailoverTest {
    private static final int NODES = 3;
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 3;
    private static final String GROUP = "billing";
    private static final int BEFORE_KILL = 3000;
    private static final int AFTER_KILL = 600;

    @TempDir
    Path dir;

    @Test
    void committedOffsetsSurviveTheCoordinatorsDeathAndTheConsumerGoesOn() throws Throwable {
        try (ClusterProcesses cluster = new ClusterProcesses(
                dir,
                NODES,
                List.of(
                        "broker.session.timeout.ms=3000",
                        "broker.heartbeat.interval.ms=500",
                        "replica.lag.time.max.ms=5000",
                        "offsets.topic.num.partitions=3",
                        "offsets.topic.replication.factor=3",
                        "group.initial.rebalance.delay.ms=0",
                        // not needed here, and each node's registry must find its node-local _schemas at start
                        "registry.enable=false"))) {
            try {
                for (int i = 1; i <= NODES; i++) {
                    cluster.start(i);
                }
                for (int i = 1; i <= NODES; i++) {
                    cluster.awaitListening(i, Duration.ofSeconds(60));
                }
                String bootstrap = cluster.bootstrap(1) + "," + cluster.bootstrap(2) + "," + cluster.bootstrap(3);
                try (Admin admin = Admin.create(Map.of(
                                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                                bootstrap,
                                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                "10000",
                                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                "5000"));
                        KafkaProducer<String, String> producer = producer(bootstrap);
                        KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                    cluster.awaitEveryNodeListsAll(Duration.ofSeconds(40));
                    admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 3)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    // produce only once every replica acts on its role (as ReplicatedPartitionTest does)
                    await("every partition of " + TOPIC + " led, with all three replicas in its ISR")
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(200))
                            .ignoreExceptions()
                            .untilAsserted(() -> assertThat(admin.describeTopics(List.of(TOPIC))
                                            .allTopicNames()
                                            .get(5, TimeUnit.SECONDS)
                                            .get(TOPIC)
                                            .partitions())
                                    .hasSize(PARTITIONS)
                                    .allSatisfy(p -> assertThat(p.isr()).hasSize(NODES)));
                    send(producer, 0, BEFORE_KILL);

                    Set<String> seen = new HashSet<>();
                    OffsetWatch watch = new OffsetWatch();
                    consumer.subscribe(List.of(TOPIC));
                    consume(consumer, seen, watch, BEFORE_KILL / 2, Duration.ofSeconds(60));
                    Map<TopicPartition, Long> beforeKill = committed(admin);
                    watch.observe(beforeKill);
                    System.out.println("committed before the kill: " + beforeKill);
                    assertThat(beforeKill.values().stream()
                                    .mapToLong(Long::longValue)
                                    .sum())
                            .as("offsets committed before the kill")
                            .isGreaterThanOrEqualTo(BEFORE_KILL / 2);

                    TopicDescription offsetsTopic = admin.describeTopics(List.of("__consumer_offsets"))
                            .allTopicNames()
                            .get(10, TimeUnit.SECONDS)
                            .get("__consumer_offsets");
                    assertThat(offsetsTopic.isInternal()).isTrue();
                    assertThat(offsetsTopic.partitions()).hasSize(3);
                    assertThat(offsetsTopic.partitions().get(0).replicas()).hasSize(3);

                    int coordinator = coordinator(admin);
                    System.out.println("killing coordinator " + coordinator);
                    cluster.process(coordinator).destroyForcibly().waitFor(10, TimeUnit.SECONDS);

                    // the dead node cannot answer, the others refuse (NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS)
                    // until one has loaded the partition: the first answer is the new coordinator's
                    AtomicReference<Map<TopicPartition, Long>> afterKill = new AtomicReference<>();
                    await("the group's offsets served again")
                            .atMost(Duration.ofSeconds(45))
                            .pollInterval(Duration.ofMillis(250))
                            .ignoreExceptions()
                            .untilAsserted(() -> afterKill.set(committed(admin)));
                    System.out.println("committed after the kill: " + afterKill.get());
                    watch.observe(afterKill.get());
                    assertThat(watch.wentBack)
                            .as("committed offsets that went backwards when the coordinator moved")
                            .isEmpty();
                    await("the group's coordinator is another node")
                            .atMost(Duration.ofSeconds(20))
                            .pollInterval(Duration.ofMillis(250))
                            .ignoreExceptions()
                            .untilAsserted(() -> assertThat(coordinator(admin)).isNotEqualTo(coordinator));

                    send(producer, BEFORE_KILL, AFTER_KILL);
                    int total = BEFORE_KILL + AFTER_KILL;
                    consume(consumer, seen, watch, total, Duration.ofSeconds(90));
                    assertThat(seen).as("records read by the group").hasSize(total);

                    Map<TopicPartition, Long> end =
                            admin.listOffsets(endOffsetSpecs()).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                                    .collect(java.util.stream.Collectors.toMap(
                                            Map.Entry::getKey, e -> e.getValue().offset()));
                    Map<TopicPartition, Long> last = committed(admin);
                    watch.observe(last);
                    System.out.println("committed at the end: " + last + " (log ends " + end + ")");
                    assertThat(last)
                            .as("the group committed up to the end of every partition")
                            .isEqualTo(end);
                    assertThat(watch.wentBack)
                            .as("committed offsets that went backwards")
                            .isEmpty();
                }
            } catch (Throwable t) {
                cluster.printLogs();
                throw t;
            }
        }
    }

    /** Every committed offset seen, per partition; any value below an earlier one is recorded as a failure. */
    private static final class OffsetWatch {
        final Map<TopicPartition, Long> highest = new HashMap<>();
        final List<String> wentBack = new ArrayList<>();

        void observe(Map<TopicPartition, Long> committed) {
            highest.forEach((tp, before) -> {
                Long now = committed.get(tp);
                if (now == null || now < before) {
                    wentBack.add(tp + ": " + before + " -> " + now);
                }
            });
            committed.forEach((tp, o) -> highest.merge(tp, o, Math::max));
        }
    }

    /** Polls and commits synchronously after every poll until {@code target} distinct records were read. */
    private static void consume(
            KafkaConsumer<String, String> consumer, Set<String> seen, OffsetWatch watch, int target, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        int failedCommits = 0;
        while (seen.size() < target && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r.value());
            }
            try {
                consumer.commitSync(Duration.ofSeconds(15));
                Map<TopicPartition, Long> committed =
                        new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
                for (Map.Entry<TopicPartition, OffsetAndMetadata> e : consumer.committed(
                                consumer.assignment(), Duration.ofSeconds(15))
                        .entrySet()) {
                    if (e.getValue() != null) {
                        committed.put(e.getKey(), e.getValue().offset());
                    }
                }
                watch.observe(committed);
            } catch (KafkaException e) {
                // during the failover a commit may time out or race a rebalance; the next one carries the positions
                failedCommits++;
                System.out.println("commit failed (" + failedCommits + "): " + e);
            }
        }
        assertThat(seen.size()).as("distinct records read within " + atMost).isGreaterThanOrEqualTo(target);
    }

    private static int coordinator(Admin admin) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(GROUP))
                .describedGroups()
                .get(GROUP)
                .get(5, TimeUnit.SECONDS);
        return d.coordinator().id();
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, Long> out = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        admin.listConsumerGroupOffsets(GROUP)
                .partitionsToOffsetAndMetadata()
                .get(5, TimeUnit.SECONDS)
                .forEach((tp, o) -> {
                    if (o != null) {
                        out.put(tp, o.offset());
                    }
                });
        return out;
    }

    private static Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> endOffsetSpecs() {
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> specs = new HashMap<>();
        for (int p = 0; p < PARTITIONS; p++) {
            specs.put(new TopicPartition(TOPIC, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        return specs;
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

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "100");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(p);
    }

    private static void send(KafkaProducer<String, String> producer, int from, int count) throws Exception {
        List<Future<RecordMetadata>> futures = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            futures.add(producer.send(new ProducerRecord<>(TOPIC, "k" + i, "v" + i)));
        }
        for (Future<RecordMetadata> f : futures) {
            f.get(120, TimeUnit.SECONDS);
        }
    }
}
