package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.ElectionNotNeededException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault scenario 5, scale-out: three voters serve a topic (replication factor 3, {@code min.insync.replicas} 2)
 * to an idempotent {@code acks=all} producer and a consumer that run throughout. A fourth node, broker-only
 * (its node.id is not among the voters), joins later: it learns the metadata from the quorum and registers.
 * An Admin reassignment moves replicas of two partitions onto it, as their first (preferred) replica; once the
 * moves finish and it is in their ISR, a preferred election makes it their leader and it takes writes. Then
 * it is killed: like any broker it is fenced after its session timeout and its partitions are led from their
 * ISR again. Nothing acknowledged is lost: every acknowledged value is read back exactly once, in order, per
 * partition, and no offset is ever seen holding two values.
 */
class ScaleOutReassignTest {
    private static final String TOPIC = "scale-out";
    private static final int VOTERS = 3;
    private static final int NEW_NODE = 4;
    private static final int PARTITIONS = 3;
    /** The partitions moved onto the new node; the last one stays where it is. */
    private static final List<Integer> MOVED = List.of(0, 1);
    /** The producer stops here at the latest, however slow the machine (bounds the loop and the final read). */
    private static final int MAX_RECORDS = 200_000;

    @TempDir
    Path dir;

    /** One acknowledged send. */
    private record Acked(int partition, long offset, String value) {}

    @Test
    void aBrokerOnlyNodeJoinsTakesReplicasAndLeadsWithoutLosingAcknowledgedRecords() throws Throwable {
        try (ClusterProcesses cluster = new ClusterProcesses(
                dir,
                VOTERS,
                1,
                List.of(
                        "broker.session.timeout.ms=3000",
                        "broker.heartbeat.interval.ms=500",
                        "min.insync.replicas=2",
                        "replica.lag.time.max.ms=5000",
                        // the test elects the preferred leader itself, through the Admin API
                        "auto.leader.rebalance.enable=false"))) {
            try {
                run(cluster);
            } catch (Throwable t) {
                cluster.printLogs();
                throw t;
            }
        }
    }

    private void run(ClusterProcesses cluster) throws Exception {
        for (int i = 1; i <= VOTERS; i++) {
            cluster.start(i);
        }
        for (int i = 1; i <= VOTERS; i++) {
            cluster.awaitListening(i, Duration.ofSeconds(60));
        }
        String bootstrap = cluster.bootstrap(1) + "," + cluster.bootstrap(2) + "," + cluster.bootstrap(3);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                "10000",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                "20000"))) {
            cluster.awaitEveryNodeListsAll(Duration.ofSeconds(40));
            admin.createTopics(List.of(
                            new NewTopic(TOPIC, PARTITIONS, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
            await("full ISRs")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreExceptions()
                    .until(() -> describe(admin).partitions().stream()
                            .allMatch(p -> p.isr().size() == 3));

            Traffic traffic = new Traffic(bootstrap);
            traffic.start();
            try {
                traffic.awaitAcked(300, Duration.ofSeconds(30));

                // the broker-only node joins while the clients run
                cluster.start(NEW_NODE);
                cluster.awaitListening(NEW_NODE, Duration.ofSeconds(60));
                cluster.awaitEveryNodeListsAll(Duration.ofSeconds(40));
                assertThat(Files.readString(cluster.log(NEW_NODE)))
                        .as("node 4 runs as a broker-only node, not as a voter")
                        .contains("Node 4 is a broker-only node");
                await("node 4 listed by the voters as a Ratis listener")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> Files.readString(cluster.log(NEW_NODE))
                                .contains("Node 4 observes the metadata quorum as a Ratis listener"));

                // move two partitions onto node 4, as their preferred replica
                Map<TopicPartition, List<Integer>> targets =
                        new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
                TopicDescription before = describe(admin);
                for (int p : MOVED) {
                    List<Integer> replicas = before.partitions().get(p).replicas().stream()
                            .map(Node::id)
                            .toList();
                    List<Integer> target = new ArrayList<>();
                    target.add(NEW_NODE);
                    target.addAll(replicas.subList(0, 2)); // one old replica goes
                    targets.put(new TopicPartition(TOPIC, p), target);
                }
                admin.alterPartitionReassignments(targets.entrySet().stream()
                                .collect(Collectors.toMap(
                                        Map.Entry::getKey,
                                        e -> Optional.of(new NewPartitionReassignment(e.getValue())))))
                        .all()
                        .get(30, TimeUnit.SECONDS);
                await("reassignments done, node 4 in the ISRs")
                        .atMost(Duration.ofSeconds(40))
                        .pollInterval(Duration.ofMillis(250))
                        .ignoreExceptions()
                        .untilAsserted(() -> {
                            assertThat(admin.listPartitionReassignments()
                                            .reassignments()
                                            .get(10, TimeUnit.SECONDS))
                                    .isEmpty();
                            TopicDescription d = describe(admin);
                            for (Map.Entry<TopicPartition, List<Integer>> e : targets.entrySet()) {
                                TopicPartitionInfo info =
                                        d.partitions().get(e.getKey().partition());
                                assertThat(ids(info.replicas())).isEqualTo(e.getValue());
                                assertThat(ids(info.isr())).contains(NEW_NODE);
                            }
                        });

                // the preferred replica, node 4, takes over the leadership
                Map<TopicPartition, Optional<Throwable>> elected = admin.electLeaders(
                                ElectionType.PREFERRED, targets.keySet())
                        .partitions()
                        .get(30, TimeUnit.SECONDS);
                for (Map.Entry<TopicPartition, Optional<Throwable>> e : elected.entrySet()) {
                    e.getValue()
                            .ifPresent(error -> assertThat(error)
                                    .as("election of %s", e.getKey())
                                    .isInstanceOf(ElectionNotNeededException.class));
                }
                await("node 4 leads the moved partitions")
                        .atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .untilAsserted(() -> {
                            TopicDescription d = describe(admin);
                            for (int p : MOVED) {
                                assertThat(d.partitions().get(p).leader().id()).isEqualTo(NEW_NODE);
                            }
                        });

                // and takes acks=all writes as their leader
                traffic.awaitAcked(traffic.ackedCount() + 300, Duration.ofSeconds(30));

                // like any broker, it is fenced when its session lapses, and its leaderships move to the ISR
                cluster.process(NEW_NODE).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                cluster.awaitEveryNodeListsAll(Duration.ofSeconds(40));
                await("the moved partitions led by a voter again")
                        .atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .untilAsserted(() -> {
                            TopicDescription d = describe(admin);
                            for (int p : MOVED) {
                                assertThat(d.partitions().get(p).leader().id()).isNotEqualTo(NEW_NODE);
                            }
                        });
                traffic.awaitAcked(traffic.ackedCount() + 300, Duration.ofSeconds(30));
            } finally {
                traffic.stop();
            }
            traffic.assertNothingLost(bootstrap);
            assertThat(Files.exists(cluster.dataDir(NEW_NODE).resolve(TOPIC + "-" + MOVED.get(0))))
                    .as("node 4 holds a replica of partition 0 on disk")
                    .isTrue();
        }
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    private static TopicDescription describe(Admin admin) throws Exception {
        return admin.describeTopics(List.of(TOPIC))
                .allTopicNames()
                .get(10, TimeUnit.SECONDS)
                .get(TOPIC);
    }

    /**
     * An idempotent {@code acks=all} producer sending {@code v<seq>} round-robin over the partitions, and a
     * consumer reading every partition from the start, each on its own thread until {@link #stop()}.
     */
    private static final class Traffic {
        private final String bootstrap;
        private final ConcurrentLinkedQueue<Acked> acked = new ConcurrentLinkedQueue<>();
        private final AtomicInteger ackedCount = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        /** Partition -> offset -> value, as the running consumer saw them; a second value is a conflict. */
        private final Map<Integer, Map<Long, String>> seen = new ConcurrentHashMap<>();

        private final ConcurrentLinkedQueue<String> conflicts = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> crashed = new AtomicReference<>();
        private final Thread producerThread;
        private final Thread consumerThread;

        Traffic(String bootstrap) {
            this.bootstrap = bootstrap;
            this.producerThread = new Thread(this::produce, "scale-out-producer");
            this.consumerThread = new Thread(this::consume, "scale-out-consumer");
        }

        void start() {
            producerThread.start();
            consumerThread.start();
        }

        int ackedCount() {
            return ackedCount.get();
        }

        void awaitAcked(int count, Duration atMost) {
            await(count + " records acknowledged").atMost(atMost).until(() -> {
                if (crashed.get() != null) {
                    throw new AssertionError("client thread failed", crashed.get());
                }
                return ackedCount.get() >= count;
            });
        }

        private void produce() {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
            p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
                for (int seq = 0; running.get() && seq < MAX_RECORDS; seq++) {
                    int partition = seq % PARTITIONS;
                    String value = "v" + seq;
                    producer.send(new ProducerRecord<>(TOPIC, partition, null, value), (md, error) -> {
                        if (error == null) {
                            acked.add(new Acked(partition, md.offset(), value));
                            ackedCount.incrementAndGet();
                        } else {
                            failed.incrementAndGet();
                        }
                    });
                    if (seq % 20 == 19) {
                        Thread.sleep(10); // about 2,000 records a second: steady, not a flood on 2 cores
                    }
                }
                producer.flush();
            } catch (Throwable t) {
                crashed.compareAndSet(null, t);
            }
        }

        private void consume() {
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                List<TopicPartition> all = new ArrayList<>();
                for (int p = 0; p < PARTITIONS; p++) {
                    all.add(new TopicPartition(TOPIC, p));
                }
                consumer.assign(all);
                consumer.seekToBeginning(all);
                while (running.get()) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        String before = seen.computeIfAbsent(r.partition(), k -> new ConcurrentHashMap<>())
                                .putIfAbsent(r.offset(), r.value());
                        if (before != null && !before.equals(r.value())) {
                            conflicts.add(r.partition() + "@" + r.offset() + ": " + before + " then " + r.value());
                        }
                    }
                }
            } catch (Throwable t) {
                crashed.compareAndSet(null, t);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            producerThread.join(70_000);
            consumerThread.join(10_000);
            assertThat(producerThread.isAlive()).as("producer stopped").isFalse();
            assertThat(consumerThread.isAlive()).as("consumer stopped").isFalse();
        }

        /** Every acknowledged value once, at its acknowledged offset, in send order per partition. */
        void assertNothingLost(String bootstrap) {
            assertThat(crashed.get()).as("client threads").isNull();
            assertThat(conflicts)
                    .as("offsets the running consumer saw with two values")
                    .isEmpty();
            Map<Integer, List<Acked>> byPartition = new TreeMap<>();
            for (Acked a : acked) {
                byPartition
                        .computeIfAbsent(a.partition(), k -> new ArrayList<>())
                        .add(a);
            }
            Map<Integer, Long> ends = new TreeMap<>();
            for (List<Acked> list : byPartition.values()) {
                list.sort(Comparator.comparingLong(Acked::offset));
                ends.put(list.get(0).partition(), list.get(list.size() - 1).offset() + 1);
            }
            Map<Integer, Map<Long, String>> log = readAll(bootstrap, ends);
            System.out.printf(
                    "acknowledged %d records (%d sends failed), per partition %s%n",
                    acked.size(),
                    failed.get(),
                    byPartition.entrySet().stream()
                            .collect(Collectors.toMap(
                                    Map.Entry::getKey, e -> e.getValue().size())));
            for (Map.Entry<Integer, List<Acked>> e : byPartition.entrySet()) {
                int partition = e.getKey();
                List<Acked> list = e.getValue();
                Map<Long, String> records = log.getOrDefault(partition, Map.of());
                for (Acked a : list) {
                    assertThat(records.get(a.offset()))
                            .as("partition %d offset %d", partition, a.offset())
                            .isEqualTo(a.value());
                }
                List<String> values = new ArrayList<>(records.values());
                List<String> ackedValues = list.stream().map(Acked::value).toList();
                assertThat(values.stream()
                                .filter(Set.copyOf(ackedValues)::contains)
                                .toList())
                        .as("partition %d: every acknowledged value once, in order", partition)
                        .isEqualTo(ackedValues);
                assertThat(ackedValues.stream()
                                .map(v -> Integer.parseInt(v.substring(1)))
                                .toList())
                        .as("partition %d: acknowledged offsets follow the send order", partition)
                        .isSorted();
                Map<Long, String> running = seen.getOrDefault(partition, Map.of());
                for (Map.Entry<Long, String> r : running.entrySet()) {
                    if (records.containsKey(r.getKey())) {
                        assertThat(records.get(r.getKey()))
                                .as("partition %d offset %d read twice", partition, r.getKey())
                                .isEqualTo(r.getValue());
                    }
                }
            }
            assertThat(byPartition.keySet()).containsExactlyInAnyOrder(0, 1, 2);
        }

        /** Each partition from its start up to {@code ends} (exclusive), by a fresh consumer. */
        private static Map<Integer, Map<Long, String>> readAll(String bootstrap, Map<Integer, Long> ends) {
            Map<Integer, Map<Long, String>> out = new TreeMap<>();
            try (KafkaConsumer<String, String> consumer = consumer(bootstrap)) {
                List<TopicPartition> all = ends.keySet().stream()
                        .map(p -> new TopicPartition(TOPIC, p))
                        .toList();
                consumer.assign(all);
                consumer.seekToBeginning(all);
                await("every acknowledged offset read back")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ZERO)
                        .until(() -> {
                            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                                String before = out.computeIfAbsent(r.partition(), k -> new TreeMap<>())
                                        .put(r.offset(), r.value());
                                assertThat(before)
                                        .as("offset %d read twice", r.offset())
                                        .isNull();
                            }
                            return ends.entrySet().stream()
                                    .allMatch(e ->
                                            consumer.position(new TopicPartition(TOPIC, e.getKey())) >= e.getValue());
                        });
            }
            return out;
        }

        private static KafkaConsumer<String, String> consumer(String bootstrap) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            return new KafkaConsumer<>(p);
        }
    }
}
