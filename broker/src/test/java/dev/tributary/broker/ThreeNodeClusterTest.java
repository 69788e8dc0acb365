package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.cli.TributaryCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three broker processes started with the cluster launcher contract ({@code bin/tributary broker ... --set
 * node.id=I --set controller.quorum.voters=...}) on loopback: every node lists the three brokers and the same
 * controller; SIGKILL of the quorum leader's process makes the other two elect a new controller and, after
 * {@code broker.session.timeout.ms}, stop listing the killed broker; restarted on the same data directory, it
 * registers again and is listed again. SIGTERM of a node fences it at once (well within a session timeout).
 */
class ThreeNodeClusterTest {
    private static final int NODES = 3;
    private static final long SESSION_TIMEOUT_MS = 3000;
    private static final long HEARTBEAT_MS = 500;
    /** Exit status of a process killed by signal 9: 128 + 9. */
    private static final int SIGKILL_EXIT = 137;

    @TempDir
    Path dir;

    private ClusterProcesses cluster;

    @AfterEach
    void killAll() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void nodesRegisterElectAControllerAndFenceAKilledBrokerUntilItComesBack() throws Throwable {
        cluster = new ClusterProcesses(
                dir,
                NODES,
                List.of(
                        "broker.session.timeout.ms=" + SESSION_TIMEOUT_MS,
                        "broker.heartbeat.interval.ms=" + HEARTBEAT_MS));
        try {
            // seconds apart, in reverse order: registration waits for the quorum to have a leader
            for (int i = NODES; i >= 1; i--) {
                cluster.start(i);
            }
            for (int i = 1; i <= NODES; i++) {
                cluster.awaitListening(i, Duration.ofSeconds(60));
            }

            Set<Integer> all = Set.of(1, 2, 3);
            int controller = awaitAgreement(all, all, Duration.ofSeconds(40));
            System.out.println("controller (quorum leader): node " + controller);
            assertThat(metadataBrokers(1)).as("Metadata's brokers").isEqualTo(new TreeSet<>(all));

            String status = clusterStatus(cluster.kafkaPort(2));
            assertThat(status).contains("Controller (quorum leader): node " + controller);
            assertThat(status).contains("Brokers (3):");
            for (int i = 1; i <= NODES; i++) {
                assertThat(status).contains(i + "\t127.0.0.1:" + cluster.kafkaPort(i));
            }

            kill(controller);
            Set<Integer> survivors = new TreeSet<>(all);
            survivors.remove(controller);
            long killedAt = System.nanoTime();
            int newController = awaitAgreement(survivors, survivors, Duration.ofSeconds(30));
            System.out.printf(
                    "after SIGKILL of node %d: node %d is controller and node %d is no longer listed after %d ms%n",
                    controller, newController, controller, (System.nanoTime() - killedAt) / 1_000_000);
            assertThat(newController).isNotEqualTo(controller);

            cluster.start(controller);
            cluster.awaitListening(controller, Duration.ofSeconds(60));
            int finalController = awaitAgreement(all, all, Duration.ofSeconds(40));
            assertThat(all).contains(finalController);

            // SIGTERM: the node fences itself on the way out, so the others drop it well within a session
            int stopped = finalController == 1 ? 2 : 1;
            Set<Integer> rest = new TreeSet<>(all);
            rest.remove(stopped);
            long stoppedAt = System.nanoTime();
            cluster.process(stopped).destroy();
            awaitAgreement(rest, rest, Duration.ofMillis(SESSION_TIMEOUT_MS - 500));
            System.out.printf(
                    "after SIGTERM of node %d: no longer listed after %d ms%n",
                    stopped, (System.nanoTime() - stoppedAt) / 1_000_000);
            assertThat(cluster.process(stopped).waitFor(30, TimeUnit.SECONDS)).isTrue();
            // the JVM reports 128 + 15 after running the shutdown hook on SIGTERM
            assertThat(cluster.process(stopped).exitValue())
                    .as("exit status after SIGTERM")
                    .isEqualTo(143);
            assertThat(Files.readString(cluster.log(stopped)))
                    .contains("fenced itself before stopping")
                    .contains("Tributary broker stopped cleanly");
        } catch (Throwable t) {
            cluster.printLogs();
            throw t;
        }
    }

    /**
     * Waits until every node of {@code asked} lists exactly {@code expected} brokers and all name the same
     * controller, one of {@code expected}; returns that controller.
     */
    private int awaitAgreement(Set<Integer> asked, Set<Integer> expected, Duration atMost) {
        int[] agreed = {-1};
        await("nodes " + asked + " all list brokers " + expected + " and one controller among them")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    Set<Integer> controllers = new TreeSet<>();
                    for (int node : asked) {
                        DescribeClusterResponseData r = describeCluster(node);
                        Set<Integer> listed = new TreeSet<>();
                        r.brokers().forEach(b -> listed.add(b.brokerId()));
                        assertThat(listed).as("brokers listed by node " + node).isEqualTo(new TreeSet<>(expected));
                        r.brokers().forEach(b -> assertThat(b.port()).isEqualTo(cluster.kafkaPort(b.brokerId())));
                        controllers.add(r.controllerId());
                    }
                    assertThat(controllers).as("controllers named").hasSize(1);
                    assertThat(expected).contains(controllers.iterator().next());
                    agreed[0] = controllers.iterator().next();
                });
        return agreed[0];
    }

    private DescribeClusterResponseData describeCluster(int node) throws IOException {
        try (RawClient c = new RawClient(cluster.kafkaPort(node))) {
            return c.send(ApiKeys.DESCRIBE_CLUSTER, (short) 0, new DescribeClusterRequestData());
        }
    }

    private Set<Integer> metadataBrokers(int node) throws IOException {
        try (RawClient c = new RawClient(cluster.kafkaPort(node))) {
            MetadataResponseData r =
                    c.send(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(List.of()));
            Set<Integer> ids = new TreeSet<>();
            r.brokers().forEach(b -> ids.add(b.nodeId()));
            return ids;
        }
    }

    /** {@code bin/tributary cluster status -b 127.0.0.1:PORT}, in this JVM. */
    private static String clusterStatus(int port) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            int code = TributaryCommand.commandLine().execute("cluster", "status", "-b", "127.0.0.1:" + port);
            assertThat(code).isZero();
        } finally {
            System.setOut(oldOut);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.print(printed);
        return printed;
    }

    private void kill(int node) throws InterruptedException {
        Process p = cluster.process(node);
        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no fencing of its own
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("node " + node + " died").isTrue();
        assertThat(p.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(SIGKILL_EXIT);
    }
}
