package dev.tributary.broker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.ClusterProcesses;
import dev.tributary.broker.RawClient;
import dev.tributary.log.KafkaDumpTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault scenario 2, a network partition: three nodes, each in a network namespace of its own ({@link
 * NodeNamespaces}), a topic at replication factor 3 with {@code min.insync.replicas=2}, an idempotent {@code
 * acks=all} producer over every node and a consumer group. The leader {@code L} of one partition is cut off from the
 * other two nodes and so from the metadata quorum (the test's clients still reach it), for longer than {@code
 * broker.session.timeout.ms}. Required:
 *
 * <ul>
 *   <li>{@code acks=all} produce requests sent straight to {@code L} after the cut get no acknowledgement: {@code
 *       L} can neither advance its high watermark (no follower fetches) nor shrink its ISR (no quorum);
 *   <li>the majority elects a new leader and the main producer goes on, no send failing;
 *   <li>{@code L} fences itself when its session lapses;
 *   <li>after healing, {@code L} rejoins the ISR, and its log holds the new leader's records at every offset (what
 *       it appended after the cut and never acknowledged is truncated);
 *   <li>every acknowledged record is read back exactly once and in order, and no offset is ever seen with two
 *       values (acknowledged, read back, read by the group, or found in any replica's log).
 * </ul>
 *
 * <p>Needs root (network namespaces); skipped otherwise.
 */
class NetworkPartitionTest {
    private static final String TOPIC = "net-partition";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_SECOND = 200;

    private static final Pattern DUMPED_RECORD = Pattern.compile("\\| offset: (\\d+) .*payload: (\\S+)");

    @TempDir
    Path dir;

    private NodeNamespaces namespaces;

    @BeforeEach
    void createNamespaces() throws Exception {
        try {
            namespaces = NodeNamespaces.create(FaultCluster.NODES);
        } catch (IOException e) {
            Assumptions.abort("needs root and network namespaces (ip netns, veth, bridge) to cut a node off: " + e);
        }
    }

    @AfterEach
    void deleteNamespaces() {
        if (namespaces != null) {
            namespaces.close();
        }
    }

    @Test
    void cutOffLeaderAcknowledgesNothingAndRejoinsWithTheMajoritysLog() throws Throwable {
        partitionTheLeader(false);
    }

    @Test
    void cutOffLeaderThatAlsoLeadsTheQuorum() throws Throwable {
        partitionTheLeader(true);
    }

    private void partitionTheLeader(boolean alsoQuorumLeader) throws Throwable {
        DeliveryChecker checker = new DeliveryChecker();
        CommittedOffsetLog committed = new CommittedOffsetLog();
        try (FaultCluster cluster = FaultCluster.start(dir, namespaces)) {
            try {
                cluster.createTopic(TOPIC, PARTITIONS);
                int controller = cluster.admin()
                        .describeCluster()
                        .controller()
                        .get(10, TimeUnit.SECONDS)
                        .id();
                int partition = pickPartition(cluster, controller, alsoQuorumLeader);
                int leader = cluster.leader(TOPIC, partition);
                System.out.printf(
                        "partition %d led by node %d; quorum leader node %d%n", partition, leader, controller);
                try (ProducerLoad load =
                                new ProducerLoad(cluster.bootstrap(), TOPIC, PARTITIONS, RECORDS_PER_SECOND, checker);
                        GroupReader group =
                                new GroupReader(cluster.bootstrap(), TOPIC, "net-partition-group", checker, committed);
                        LeaderProbe probe = new LeaderProbe(cluster.processes(), leader, partition, checker)) {
                    load.start();
                    group.start();
                    load.awaitMoreAcks(300);
                    assertThat(probe.probe())
                            .as("node " + leader + " acknowledges a probe before the cut: " + probe.summary())
                            .isTrue();

                    long cutAt = System.nanoTime();
                    namespaces.isolate(leader);
                    probe.start();
                    int majority = leader == 1 ? 2 : 1;
                    int next = awaitLeaderSeenBy(cluster, majority, partition, leader);
                    long electedMs = (System.nanoTime() - cutAt) / 1_000_000;
                    load.awaitMoreAcks(300); // two replicas of three keep taking acks=all writes
                    await("node " + leader + " fences itself once its session with the quorum lapses")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> cluster.processes()
                                    .logSinceStart(leader)
                                    .contains("Node " + leader + " stopped leading " + TOPIC + "-" + partition));
                    // keep the partition well past the session timeout
                    long heldMs = 2 * FaultCluster.SESSION_TIMEOUT_MS + 2000;
                    await("partition held for " + heldMs + " ms")
                            .atMost(Duration.ofSeconds(30))
                            .pollDelay(Duration.ofMillis(0))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> System.nanoTime() - cutAt >= TimeUnit.MILLISECONDS.toNanos(heldMs));
                    probe.close();
                    System.out.printf(
                            "cut off node %d (leader of partition %d%s); node %d led after %d ms; probes: %s%n",
                            leader,
                            partition,
                            leader == controller ? ", and of the quorum" : "",
                            next,
                            electedMs,
                            probe.summary());
                    assertThat(probe.acked() - 1)
                            .as("acks=all writes the cut-off node " + leader + " acknowledged: " + probe.summary())
                            .isZero();

                    namespaces.heal();
                    long healedAt = System.nanoTime();
                    cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(45));
                    System.out.printf(
                            "healed; node %d back in every ISR after %d ms%n",
                            leader, (System.nanoTime() - healedAt) / 1_000_000);
                    load.awaitMoreAcks(300);
                    load.stopAndDrain(Duration.ofSeconds(60));
                    System.out.println("producer: " + load.summary() + "; group: " + group.summary());
                    assertThat(load.failed())
                            .as("failed sends; first ones: " + load.failures())
                            .isZero();
                    assertThat(group.crashed())
                            .as("the group reader's thread crashed")
                            .isNull();
                }
                cluster.readBack(TOPIC, PARTITIONS, checker);
                int newLeader = cluster.leader(TOPIC, partition);
                awaitSameLog(cluster, partition, leader, newLeader, checker);
                System.out.println("checked: " + checker.summary());
                cluster.verify(checker, TOPIC);
                // it held records appended after the cut (a probe answered REQUEST_TIMED_OUT or the main producer's
                // batches in flight), which the majority never had: it must have cut them off its log
                String truncated = "Node " + leader + " truncated its replica of " + TOPIC + "-" + partition + " from";
                assertThat(cluster.processes().logSinceStart(leader).lines().filter(l -> l.contains(truncated)))
                        .as("node " + leader + " truncated the records it appended after the cut")
                        .isNotEmpty()
                        .allSatisfy(System.out::println);
            } catch (Throwable t) {
                cluster.processes().printLogs();
                throw t;
            }
        }
    }

    /** A partition whose leader is (or, if none is, is not) the quorum leader, when there is one; else 0. */
    private static int pickPartition(FaultCluster cluster, int controller, boolean alsoQuorumLeader) throws Exception {
        for (int p = 0; p < PARTITIONS; p++) {
            if ((cluster.leader(TOPIC, p) == controller) == alsoQuorumLeader) {
                return p;
            }
        }
        return 0;
    }

    /**
     * Waits until {@code node} (one of the majority: the cut-off node's own metadata goes stale) names a leader of
     * the partition other than {@code old}; returns it.
     */
    private static int awaitLeaderSeenBy(FaultCluster cluster, int node, int partition, int old) {
        int[] found = {-1};
        // 60 s, not 30: when the cut-off node also led the quorum, the two others once took 32 s to elect a new
        // quorum leader (both became candidates at once and waited on their vote requests to the cut-off node)
        await("node " + node + " names a leader of partition " + partition + " other than " + old)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> {
                    found[0] = leaderSeenBy(cluster.processes(), node, partition);
                    return found[0] >= 0 && found[0] != old;
                });
        return found[0];
    }

    private static int leaderSeenBy(ClusterProcesses processes, int node, int partition) throws IOException {
        try (RawClient c = new RawClient(processes.host(node), processes.kafkaPort(node))) {
            MetadataRequestData request = new MetadataRequestData()
                    .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName(TOPIC)));
            MetadataResponseData r = c.send(ApiKeys.METADATA, (short) 12, request);
            for (MetadataResponseData.MetadataResponsePartition p :
                    r.topics().find(TOPIC).partitions()) {
                if (p.partitionIndex() == partition) {
                    return p.leaderId();
                }
            }
            return -1;
        }
    }

    /**
     * Waits until the cut-off node's replica holds exactly the new leader's records (offset and value), reading
     * both logs with Kafka's DumpLogSegments; every record found in either is also reported to the checker, so a
     * value at an offset that differs from what a client saw there fails the check too.
     */
    private static void awaitSameLog(
            FaultCluster cluster, int partition, int oldLeader, int newLeader, DeliveryChecker checker) {
        List<Map<Long, String>> last = new ArrayList<>();
        await("node " + oldLeader + "'s replica of partition " + partition + " equals leader " + newLeader + "'s")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    Map<Long, String> old = records(cluster, oldLeader, partition);
                    Map<Long, String> lead = records(cluster, newLeader, partition);
                    last.clear();
                    last.add(old);
                    last.add(lead);
                    List<String> differences = new ArrayList<>();
                    TreeSet<Long> offsets = new TreeSet<>(old.keySet());
                    offsets.addAll(lead.keySet());
                    for (long o : offsets) {
                        if (!Objects.equals(old.get(o), lead.get(o)) && differences.size() < 10) {
                            differences.add("offset " + o + ": node " + oldLeader + " has " + old.get(o) + ", node "
                                    + newLeader + " has " + lead.get(o));
                        }
                    }
                    assertThat(differences)
                            .as("offsets where node " + oldLeader + "'s " + old.size() + " records differ from node "
                                    + newLeader + "'s " + lead.size() + " (first 10)")
                            .isEmpty();
                });
        for (Map<Long, String> records : last) {
            records.forEach((offset, value) -> checker.observed(partition, offset, value));
        }
        System.out.printf(
                "node %d's replica of partition %d holds the same %d records as leader %d%n",
                oldLeader, partition, last.get(0).size(), newLeader);
    }

    private static Map<Long, String> records(FaultCluster cluster, int node, int partition) throws Exception {
        Path dir = cluster.processes().dataDir(node).resolve(TOPIC + "-" + partition);
        String logs;
        try (Stream<Path> files = Files.list(dir)) {
            logs = files.filter(f -> f.toString().endsWith(".log"))
                    .sorted()
                    .map(Path::toString)
                    .collect(Collectors.joining(","));
        }
        String out = KafkaDumpTool.run("--deep-iteration", "--print-data-log", "--files", logs);
        Map<Long, String> records = new TreeMap<>();
        for (String line : out.lines().toList()) {
            Matcher m = DUMPED_RECORD.matcher(line);
            if (m.find()) {
                records.put(Long.parseLong(m.group(1)), m.group(2));
            }
        }
        return records;
    }

    /**
     * Produce requests ({@code acks=all}, one record each, a unique value) sent straight to one node over a socket
     * of their own, so the answer is that node's and no client library retries elsewhere. An acknowledgement goes
     * to the checker and is counted; every other answer (an error code, or no answer) is only counted.
     */
    private static final class LeaderProbe implements AutoCloseable {
        /** Most probes one {@link #probeUntilStopped} sends. */
        private static final int MAX_PROBES = 60;

        private final ClusterProcesses processes;
        private final int node;
        private final int partition;
        private final DeliveryChecker checker;
        private final String prefix = "probe-" + Long.toHexString(System.nanoTime()) + "-";
        private final AtomicLong acked = new AtomicLong();
        private final Map<String, Integer> answers = new TreeMap<>();
        private final Thread thread;
        private volatile boolean stopping;
        private int sent;

        LeaderProbe(ClusterProcesses processes, int node, int partition, DeliveryChecker checker) {
            this.processes = processes;
            this.node = node;
            this.partition = partition;
            this.checker = checker;
            this.thread = new Thread(this::probeUntilStopped, "leader-probe-" + node);
            this.thread.setDaemon(true);
        }

        /** One probe; true if it was acknowledged. */
        boolean probe() {
            String value = prefix + sent++;
            String answer;
            try (RawClient c = new RawClient(processes.host(node), processes.kafkaPort(node))) {
                ProduceRequestData.TopicProduceDataCollection topics =
                        new ProduceRequestData.TopicProduceDataCollection();
                topics.add(new ProduceRequestData.TopicProduceData()
                        .setName(TOPIC)
                        .setPartitionData(List.of(new ProduceRequestData.PartitionProduceData()
                                .setIndex(partition)
                                .setRecords(MemoryRecords.withRecords(
                                        Compression.NONE,
                                        new SimpleRecord(
                                                System.currentTimeMillis(),
                                                null,
                                                value.getBytes(StandardCharsets.UTF_8)))))));
                ProduceResponseData r = c.send(
                        ApiKeys.PRODUCE,
                        (short) 9,
                        new ProduceRequestData()
                                .setAcks((short) -1)
                                .setTimeoutMs(2000)
                                .setTopicData(topics));
                ProduceResponseData.PartitionProduceResponse p =
                        r.responses().iterator().next().partitionResponses().get(0);
                Errors error = Errors.forCode(p.errorCode());
                if (error == Errors.NONE) {
                    acked.incrementAndGet();
                    checker.acknowledged(partition, p.baseOffset(), value);
                    answer = "acknowledged";
                } else {
                    answer = error.name();
                }
            } catch (IOException e) {
                answer = "no answer (" + e.getClass().getSimpleName() + ")";
            }
            synchronized (answers) {
                answers.merge(answer, 1, Integer::sum);
            }
            return "acknowledged".equals(answer);
        }

        LeaderProbe start() {
            thread.start();
            return this;
        }

        private void probeUntilStopped() {
            while (!stopping && sent < MAX_PROBES) {
                probe();
                try {
                    Thread.sleep(200); // pace between probes, not an assertion
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long acked() {
            return acked.get();
        }

        String summary() {
            synchronized (answers) {
                return sent + " produce requests to node " + node + ", answers " + answers;
            }
        }

        /** Stops probing and waits for the probe in flight (at most 15 s). */
        @Override
        public void close() throws InterruptedException {
            stopping = true;
            thread.interrupt();
            thread.join(15_000);
        }
    }
}
