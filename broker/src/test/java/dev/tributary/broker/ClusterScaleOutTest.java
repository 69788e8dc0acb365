package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
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
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out of partitions over a three-node cluster (replication factor 1, so each node holds what it leads): a topic created through the Admin
 * API of one node is assigned over all three brokers through the metadata quorum, and each node opens only the
 * partitions it leads. An idempotent {@code acks=all} producer and a consumer, each given the address of one
 * node only, reach every leader (the other nodes answer {@code NOT_LEADER_OR_FOLLOWER}, and the clients follow
 * the metadata). CreatePartitions and auto-creation go through the quorum as well, and DeleteTopics removes the
 * topic from every node's metadata and disk.
 */
class ClusterScaleOutTest {
    private static final int NODES = 3;
    private static final int PARTITIONS = 6;
    private static final int RECORDS = 3000;
    private static final String TOPIC = "spread";

    @TempDir
    Path dir;

    @Test
    void partitionsSpreadOverTheNodesAndClientsFollowTheLeaders() throws Throwable {
        try (ClusterProcesses cluster = new ClusterProcesses(
                dir, NODES, List.of("broker.session.timeout.ms=3000", "broker.heartbeat.interval.ms=500"))) {
            try {
                for (int i = 1; i <= NODES; i++) {
                    cluster.start(i);
                }
                for (int i = 1; i <= NODES; i++) {
                    cluster.awaitListening(i, Duration.ofSeconds(60));
                }
                try (Admin admin1 = admin(cluster, 1);
                        Admin admin2 = admin(cluster, 2);
                        Admin admin3 = admin(cluster, 3)) {
                    List<Admin> admins = List.of(admin1, admin2, admin3);
                    await("every node lists the three brokers")
                            .atMost(Duration.ofSeconds(40))
                            .pollInterval(Duration.ofMillis(200))
                            .ignoreExceptions()
                            .untilAsserted(() -> {
                                for (Admin a : admins) {
                                    assertThat(a.describeCluster().nodes().get(5, TimeUnit.SECONDS))
                                            .hasSize(NODES);
                                }
                            });

                    assertThatThrownBy(() -> admin1.createTopics(List.of(new NewTopic("rf4", 1, (short) 4)))
                                    .all()
                                    .get(30, TimeUnit.SECONDS))
                            .hasCauseInstanceOf(InvalidReplicationFactorException.class)
                            .hasMessageContaining("larger than the 3 live brokers");

                    admin1.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    Map<Integer, Integer> leaders = awaitSameLeadersEverywhere(admins, PARTITIONS);
                    System.out.println("leaders by partition: " + leaders);
                    assertThat(new TreeSet<>(leaders.values()))
                            .as("leaders of the 6 partitions")
                            .containsExactly(1, 2, 3);
                    await("each node opened exactly the partitions it leads")
                            .atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> {
                                for (int node = 1; node <= NODES; node++) {
                                    Set<Integer> led = new TreeSet<>();
                                    for (Map.Entry<Integer, Integer> e : leaders.entrySet()) {
                                        if (e.getValue() == node) {
                                            led.add(e.getKey());
                                        }
                                    }
                                    assertThat(partitionDirs(cluster.dataDir(node)))
                                            .as("partition directories of node " + node)
                                            .isEqualTo(led);
                                }
                            });

                    int leader0 = leaders.get(0);
                    int other = leader0 % NODES + 1;
                    assertThat(listOffsetsError(cluster, other, 0))
                            .as("ListOffsets for partition 0 to node " + other + ", which does not lead it")
                            .isEqualTo(Errors.NOT_LEADER_OR_FOLLOWER);
                    assertThat(listOffsetsError(cluster, leader0, 0))
                            .as("ListOffsets for partition 0 to its leader")
                            .isEqualTo(Errors.NONE);

                    produce(cluster.bootstrap(1));
                    Map<Integer, Integer> counts = consumeAll(cluster.bootstrap(2));
                    System.out.println("records read back per partition: " + counts);
                    for (int p = 0; p < PARTITIONS; p++) {
                        assertThat(counts).containsEntry(p, RECORDS / PARTITIONS);
                    }

                    // CreatePartitions through another node: the new partitions go to live brokers too
                    admin2.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(PARTITIONS + 3)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    Map<Integer, Integer> grown = awaitSameLeadersEverywhere(admins, PARTITIONS + 3);
                    System.out.println("leaders after CreatePartitions: " + grown);
                    assertThat(grown).containsAllEntriesOf(leaders);
                    await("each node opened the new partitions it leads")
                            .atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(100))
                            .untilAsserted(() -> {
                                Set<Integer> onDisk = new TreeSet<>();
                                for (int node = 1; node <= NODES; node++) {
                                    for (int p : partitionDirs(cluster.dataDir(node))) {
                                        assertThat(grown.get(p))
                                                .as("leader of " + p)
                                                .isEqualTo(node);
                                        onDisk.add(p);
                                    }
                                }
                                assertThat(onDisk).hasSize(PARTITIONS + 3);
                            });

                    // auto-creation (auto.create.topics.enable is on by default) goes through the quorum too
                    autoCreate(cluster, 2, "auto");
                    await("the auto-created topic is known to node 3 with a live leader")
                            .atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(200))
                            .ignoreExceptions()
                            .untilAsserted(() -> assertThat(admin3.describeTopics(List.of("auto"))
                                            .allTopicNames()
                                            .get(5, TimeUnit.SECONDS)
                                            .get("auto")
                                            .partitions())
                                    .singleElement()
                                    .satisfies(p -> assertThat(p.leader()).isNotNull()));

                    admin3.deleteTopics(List.of(TOPIC)).all().get(30, TimeUnit.SECONDS);
                    await("the topic is gone from every node's metadata and disk")
                            .atMost(Duration.ofSeconds(15))
                            .pollInterval(Duration.ofMillis(200))
                            .untilAsserted(() -> {
                                for (int node = 1; node <= NODES; node++) {
                                    Admin a = admins.get(node - 1);
                                    assertThatThrownBy(() -> a.describeTopics(List.of(TOPIC))
                                                    .allTopicNames()
                                                    .get(5, TimeUnit.SECONDS))
                                            .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
                                    assertThat(a.listTopics().names().get(5, TimeUnit.SECONDS))
                                            .doesNotContain(TOPIC);
                                    assertThat(partitionDirs(cluster.dataDir(node)))
                                            .as("partition directories of node " + node)
                                            .isEmpty();
                                }
                            });
                }
            } catch (Throwable t) {
                cluster.printLogs();
                throw t;
            }
        }
    }

    /** A Metadata request for an unknown topic that allows auto-creation; the topic's error. */
    private static void autoCreate(ClusterProcesses cluster, int node, String topic) throws Exception {
        try (RawClient c = new RawClient(cluster.kafkaPort(node))) {
            MetadataResponseData r = c.send(
                    ApiKeys.METADATA,
                    (short) 12,
                    new MetadataRequestData()
                            .setAllowAutoTopicCreation(true)
                            .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(topic))));
            assertThat(Errors.forCode(r.topics().find(topic).errorCode()))
                    .as("Metadata's answer for the auto-created topic")
                    .isIn(Errors.NONE, Errors.LEADER_NOT_AVAILABLE);
        }
    }

    private static Errors listOffsetsError(ClusterProcesses cluster, int node, int partition) throws Exception {
        try (RawClient c = new RawClient(cluster.kafkaPort(node))) {
            ListOffsetsResponseData r = c.send(
                    ApiKeys.LIST_OFFSETS,
                    (short) 7,
                    new ListOffsetsRequestData()
                            .setReplicaId(-1)
                            .setTopics(List.of(new ListOffsetsRequestData.ListOffsetsTopic()
                                    .setName(TOPIC)
                                    .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition()
                                            .setPartitionIndex(partition)
                                            .setTimestamp(-1))))));
            return Errors.forCode(r.topics().get(0).partitions().get(0).errorCode());
        }
    }

    private static Admin admin(ClusterProcesses cluster, int node) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(node));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return Admin.create(props);
    }

    /** Waits until every node describes the topic with one live leader per partition, the same everywhere. */
    private static Map<Integer, Integer> awaitSameLeadersEverywhere(List<Admin> admins, int partitions) {
        Map<Integer, Integer> agreed = new TreeMap<>();
        await("every node describes " + TOPIC + " with the same leaders")
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    List<Map<Integer, Integer>> seen = new ArrayList<>();
                    for (Admin a : admins) {
                        TopicDescription d = a.describeTopics(List.of(TOPIC))
                                .allTopicNames()
                                .get(5, TimeUnit.SECONDS)
                                .get(TOPIC);
                        assertThat(d.partitions()).hasSize(partitions);
                        Map<Integer, Integer> leaders = new TreeMap<>();
                        for (TopicPartitionInfo p : d.partitions()) {
                            assertThat(p.leader())
                                    .as("leader of partition " + p.partition())
                                    .isNotNull();
                            assertThat(p.replicas()).containsExactly(p.leader());
                            assertThat(p.isr()).containsExactly(p.leader());
                            leaders.put(p.partition(), p.leader().id());
                        }
                        seen.add(leaders);
                    }
                    assertThat(seen).allSatisfy(m -> assertThat(m).isEqualTo(seen.get(0)));
                    agreed.clear();
                    agreed.putAll(seen.get(0));
                });
        return agreed;
    }

    /** Partition numbers of {@link #TOPIC} with a directory in {@code dataDir}. */
    private static Set<Integer> partitionDirs(Path dataDir) throws Exception {
        Set<Integer> found = new TreeSet<>();
        try (Stream<Path> entries = Files.list(dataDir)) {
            entries.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches(TOPIC + "-\\d+"))
                    .forEach(n -> found.add(Integer.parseInt(n.substring(TOPIC.length() + 1))));
        }
        return found;
    }

    /** Sends {@link #RECORDS} records, evenly over the partitions, with only node 1 as bootstrap. */
    private static void produce(String bootstrap) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < RECORDS; i++) {
                sent.add(producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "k" + i, "v" + i)));
            }
            producer.flush();
            for (int i = 0; i < RECORDS; i++) {
                try {
                    RecordMetadata m = sent.get(i).get(30, TimeUnit.SECONDS);
                    assertThat(m.partition()).isEqualTo(i % PARTITIONS);
                } catch (ExecutionException e) {
                    throw new AssertionError("send of record " + i + " failed", e.getCause());
                }
            }
        }
    }

    /** Reads every partition from the start, with only {@code bootstrap} (one node) given; counts per partition. */
    private static Map<Integer, Integer> consumeAll(String bootstrap) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<Integer, Integer> counts = new HashMap<>();
        Set<String> values = new HashSet<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                all.add(new TopicPartition(TOPIC, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(values.add(r.value()))
                            .as("read once: " + r.value())
                            .isTrue();
                    assertThat(r.value()).isEqualTo("v" + r.key().substring(1));
                    counts.merge(r.partition(), 1, Integer::sum);
                }
            }
        }
        assertThat(values).as("records read back through node " + bootstrap).hasSize(RECORDS);
        return counts;
    }
}
