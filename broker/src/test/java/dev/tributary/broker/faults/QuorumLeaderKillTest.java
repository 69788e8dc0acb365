package dev.tributary.broker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.RawClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGKILL of the metadata quorum's leader (the controller that DescribeCluster names), under an idempotent
 * {@code acks=all} producer on a topic at replication factor 3 and {@code min.insync.replicas=2}: the other two
 * nodes elect a new quorum leader; topic creation works through it while the old leader is down; after the
 * killed node is back in every ISR, a preferred leader election (Admin electLeaders; {@code
 * auto.leader.rebalance.enable=false}, so nothing else moves them) gives every partition back to its first
 * replica; no send fails and every acknowledged record is read back exactly once, in order. Then, with the
 * other two nodes killed, the one left alone does not acknowledge an {@code acks=all} write.
 */
class QuorumLeaderKillTest {
    private static final String TOPIC = "quorum";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_SECOND = 300;

    @TempDir
    Path dir;

    @Test
    void aNewQuorumLeaderTakesOverAndAdminKeepsWorking() throws Throwable {
        int rounds = FaultCluster.rounds(1, 5);
        DeliveryChecker checker = new DeliveryChecker();
        try (FaultCluster cluster = FaultCluster.start(dir, "auto.leader.rebalance.enable=false")) {
            try {
                cluster.createTopic(TOPIC, PARTITIONS);
                try (ProducerLoad load =
                        new ProducerLoad(cluster.bootstrap(), TOPIC, PARTITIONS, RECORDS_PER_SECOND, checker)) {
                    load.start();
                    for (int round = 1; round <= rounds; round++) {
                        load.awaitMoreAcks(300);
                        int controller = controller(cluster.admin());
                        long killedAt = System.nanoTime();
                        cluster.processes().kill(controller);
                        Set<Integer> survivors = new HashSet<>(Set.of(1, 2, 3));
                        survivors.remove(controller);
                        int newController = awaitController(cluster, survivors);
                        long electedMs = (System.nanoTime() - killedAt) / 1_000_000;

                        String created = "created-while-" + controller + "-down-" + round;
                        cluster.admin()
                                .createTopics(List.of(new NewTopic(created, 2, (short) 2)))
                                .all()
                                .get(30, TimeUnit.SECONDS);
                        await("topic " + created + " has a live leader for each partition")
                                .atMost(Duration.ofSeconds(20))
                                .pollInterval(Duration.ofMillis(200))
                                .ignoreExceptions()
                                .untilAsserted(() -> {
                                    for (TopicPartitionInfo p :
                                            cluster.describe(created).partitions()) {
                                        assertThat(p.leader()).isNotNull();
                                        assertThat(survivors)
                                                .contains(p.leader().id());
                                    }
                                });
                        load.awaitMoreAcks(300); // writes go on with the old quorum leader down

                        cluster.processes().start(controller);
                        cluster.processes().awaitListening(controller, Duration.ofSeconds(60));
                        cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));
                        int notPreferred = notOnPreferredLeader(cluster);
                        assertThat(notPreferred)
                                .as("partitions led by another node than their first replica after node " + controller
                                        + " came back")
                                .isPositive();
                        List<TopicPartition> all = new ArrayList<>();
                        for (int p = 0; p < PARTITIONS; p++) {
                            all.add(new TopicPartition(TOPIC, p));
                        }
                        // a partition already on its preferred leader answers ELECTION_NOT_NEEDED: not an error
                        try {
                            cluster.admin()
                                    .electLeaders(ElectionType.PREFERRED, Set.copyOf(all))
                                    .all()
                                    .get(30, TimeUnit.SECONDS);
                        } catch (ExecutionException e) {
                            if (!(e.getCause() instanceof org.apache.kafka.common.errors.ElectionNotNeededException)) {
                                throw e;
                            }
                        }
                        await("every partition on its preferred leader after electLeaders")
                                .atMost(Duration.ofSeconds(20))
                                .pollInterval(Duration.ofMillis(200))
                                .ignoreExceptions()
                                .until(() -> notOnPreferredLeader(cluster) == 0);
                        load.awaitMoreAcks(300);
                        System.out.printf(
                                "round %d/%d: SIGKILL of quorum leader node %d; node %d leads the quorum after %d"
                                        + " ms; %s created meanwhile; after the restart %d partition(s) were off"
                                        + " their preferred leader and electLeaders moved them back; producer %s%n",
                                round,
                                rounds,
                                controller,
                                newController,
                                electedMs,
                                created,
                                notPreferred,
                                load.summary());
                    }
                    load.stopAndDrain(Duration.ofSeconds(120));
                    System.out.println("producer: " + load.summary());
                    assertThat(load.failed())
                            .as("failed sends; first ones: " + load.failures())
                            .isZero();
                }
                cluster.readBack(TOPIC, PARTITIONS, checker);
                System.out.println("checked: " + checker.summary());
                cluster.verify(checker, TOPIC);

                aLoneNodeNeverAcknowledgesAcksAll(cluster);
            } catch (Throwable t) {
                cluster.processes().printLogs();
                throw t;
            }
        }
    }

    /**
     * What a node left alone must not do: acknowledge an {@code acks=all} write. Its ISR cannot shrink without
     * the quorum, so the write waits for followers that are gone and times out.
     */
    private static void aLoneNodeNeverAcknowledgesAcksAll(FaultCluster cluster) throws Exception {
        int survivor = cluster.leader(TOPIC, 0);
        killAllBut(cluster, survivor);
        try (KafkaProducer<String, String> producer = isolatedProducer(cluster, survivor, "all")) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(TOPIC, 0, null, "alone"))
                            .get(30, TimeUnit.SECONDS))
                    .as("acks=all write to node " + survivor + ", alone")
                    .isInstanceOf(ExecutionException.class);
        }
        System.out.println("node " + survivor + " alone did not acknowledge an acks=all write");
    }

    /**
     * A node that has lost the quorum fences itself once {@code broker.session.timeout.ms} has passed without a
     * heartbeat reaching it: it stops leading, so it no longer takes even {@code acks=1} writes, which a new
     * leader elected by the others would truncate.
     */
    @Test
    void aNodeThatLostTheQuorumFencesItself() throws Throwable {
        try (FaultCluster cluster = FaultCluster.start(dir)) {
            try {
                cluster.createTopic(TOPIC, PARTITIONS);
                int survivor = cluster.leader(TOPIC, 0);
                killAllBut(cluster, survivor);
                long killedAt = System.nanoTime();
                try (KafkaProducer<String, String> producer = isolatedProducer(cluster, survivor, "1")) {
                    await("node " + survivor + " alone refuses acks=1 writes to the partition it led")
                            .atMost(Duration.ofMillis(3 * FaultCluster.SESSION_TIMEOUT_MS))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> {
                                try {
                                    producer.send(new ProducerRecord<>(TOPIC, 0, null, "alone"))
                                            .get(10, TimeUnit.SECONDS);
                                    return false;
                                } catch (ExecutionException e) {
                                    return true;
                                }
                            });
                }
                System.out.printf(
                        "node %d alone stopped leading %d ms after the others died%n",
                        survivor, (System.nanoTime() - killedAt) / 1_000_000);
                // it no longer lists itself (ClusterView.sessionLost): a client that asked it would stay locked on it
                assertThat(describeCluster(cluster, survivor).brokers())
                        .as("brokers node " + survivor + " lists once fenced")
                        .noneSatisfy(b -> assertThat(b.brokerId()).isEqualTo(survivor));
            } catch (Throwable t) {
                cluster.processes().printLogs();
                throw t;
            }
        }
    }

    private static void killAllBut(FaultCluster cluster, int survivor) throws InterruptedException {
        for (int n = 1; n <= FaultCluster.NODES; n++) {
            if (n != survivor) {
                cluster.processes().kill(n);
            }
        }
    }

    /** A producer that knows only {@code node}, without retries. */
    private static KafkaProducer<String, String> isolatedProducer(FaultCluster cluster, int node, String acks) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.processes().bootstrap(node));
        p.put(ProducerConfig.ACKS_CONFIG, acks);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.RETRIES_CONFIG, "0");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** The controller (quorum leader) the cluster names now. */
    private static int controller(Admin admin) throws Exception {
        Node c = admin.describeCluster().controller().get(10, TimeUnit.SECONDS);
        assertThat(c).as("controller").isNotNull();
        return c.id();
    }

    /** Waits until every node of {@code survivors} names the same controller, one of them; returns it. */
    private static int awaitController(FaultCluster cluster, Set<Integer> survivors) {
        int[] agreed = {-1};
        await("nodes " + survivors + " name one controller among them")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    Set<Integer> named = new HashSet<>();
                    for (int node : survivors) {
                        named.add(describeCluster(cluster, node).controllerId());
                    }
                    assertThat(named).hasSize(1);
                    assertThat(survivors).contains(named.iterator().next());
                    agreed[0] = named.iterator().next();
                });
        return agreed[0];
    }

    /** DescribeCluster answered by {@code node} itself (an Admin client may ask any node it knows). */
    static DescribeClusterResponseData describeCluster(FaultCluster cluster, int node) throws Exception {
        try (RawClient c = new RawClient(cluster.processes().kafkaPort(node))) {
            return c.send(ApiKeys.DESCRIBE_CLUSTER, (short) 0, new DescribeClusterRequestData());
        }
    }

    /** How many partitions of {@link #TOPIC} are led by another node than their first replica. */
    private static int notOnPreferredLeader(FaultCluster cluster) throws Exception {
        int n = 0;
        for (TopicPartitionInfo p : cluster.describe(TOPIC).partitions()) {
            if (p.leader() == null || p.leader().id() != p.replicas().get(0).id()) {
                n++;
            }
        }
        return n;
    }
}
