package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.cli.TributaryCommand;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * N broker processes on loopback (or, with {@link NodeHosts}, each at an address of its own, e.g. in a network
 * namespace), each started with the cluster launcher contract ({@code broker --data-dir
 * --listen --registry-listen --set node.id=I --set controller.quorum.voters=...}) on free ports, with its output
 * in {@code node-I.log} of the given directory. Nodes are numbered from 1. With broker-only nodes, the first
 * {@code voters} nodes are the voters and the ones after them broker-only nodes (their node.id is not among
 * the voters; each is given {@code controller.quorum.observer.address} on a free port).
 */
public final class ClusterProcesses implements AutoCloseable {
    private final Path dir;
    private final int nodes;
    private final List<String> extraSettings;
    private final Process[] processes;
    private final int[] kafkaPorts;
    private final int[] registryPorts;
    private final int[] quorumPorts;
    /** Where each node's output of its latest start begins in its log file. */
    private final long[] logOffsets;

    private final String voters;
    /** Nodes 1..voterCount are voters; the ones above are broker-only nodes. */
    private final int voterCount;

    private final NodeHosts hosts;

    /**
     * Where each node runs: the address its listeners bind and the voters name, and the words put before
     * {@code java} on its command line (e.g. {@code ip netns exec NS} to start it in a network namespace).
     */
    public interface NodeHosts {
        /** Every node on 127.0.0.1, started directly. */
        NodeHosts LOOPBACK = new NodeHosts() {
            @Override
            public String host(int node) {
                return "127.0.0.1";
            }

            @Override
            public List<String> commandPrefix(int node) {
                return List.of();
            }
        };

        String host(int node);

        List<String> commandPrefix(int node);
    }

    public ClusterProcesses(Path dir, int nodes, List<String> extraSettings) throws IOException {
        this(dir, nodes, 0, extraSettings);
    }

    /** {@code voters} voter nodes (1..voters) and {@code brokerOnly} broker-only nodes numbered after them. */
    public ClusterProcesses(Path dir, int voters, int brokerOnly, List<String> extraSettings) throws IOException {
        this(dir, voters, brokerOnly, extraSettings, NodeHosts.LOOPBACK);
    }

    /**
     * {@code voters} voter nodes and {@code brokerOnly} broker-only nodes, each at the address and started with the
     * command prefix {@code hosts} gives it. Ports are still picked free on this host's loopback, which is enough
     * when the nodes' addresses are this host's or the nodes run in network namespaces of their own.
     */
    public ClusterProcesses(Path dir, int voters, int brokerOnly, List<String> extraSettings, NodeHosts hosts)
            throws IOException {
        this.hosts = hosts;
        int nodes = voters + brokerOnly;
        this.voterCount = voters;
        this.dir = dir;
        this.nodes = nodes;
        this.extraSettings = List.copyOf(extraSettings);
        this.processes = new Process[nodes + 1];
        this.kafkaPorts = new int[nodes + 1];
        this.registryPorts = new int[nodes + 1];
        this.quorumPorts = new int[nodes + 1];
        this.logOffsets = new long[nodes + 1];
        List<Integer> ports = freePorts(3 * nodes);
        StringBuilder v = new StringBuilder();
        for (int i = 1; i <= nodes; i++) {
            kafkaPorts[i] = ports.get(3 * (i - 1));
            registryPorts[i] = ports.get(3 * (i - 1) + 1);
            quorumPorts[i] = ports.get(3 * (i - 1) + 2);
            if (i > voters) {
                continue;
            }
            v.append(v.length() == 0 ? "" : ",")
                    .append(i)
                    .append("@")
                    .append(hosts.host(i))
                    .append(":")
                    .append(quorumPorts[i]);
        }
        this.voters = v.toString();
    }

    public int kafkaPort(int node) {
        return kafkaPorts[node];
    }

    /** The address the node's listeners bind (127.0.0.1 unless {@link NodeHosts} says otherwise). */
    public String host(int node) {
        return hosts.host(node);
    }

    public String bootstrap(int node) {
        return host(node) + ":" + kafkaPorts[node];
    }

    /** {@code http://HOST:PORT} of the node's schema registry. */
    public String registryUrl(int node) {
        return "http://" + host(node) + ":" + registryPorts[node];
    }

    /** The process of the node's latest start (null before the first). */
    public Process process(int node) {
        return processes[node];
    }

    public Path dataDir(int node) {
        return dir.resolve("data-" + node);
    }

    public Path log(int node) {
        return dir.resolve("node-" + node + ".log");
    }

    public void start(int node) throws IOException {
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(hosts.commandPrefix(node));
        cmd.addAll(List.of(
                java,
                "-Xmx256m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.log.org.apache.ratis=warn",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp",
                brokerClasspath(),
                TributaryCommand.class.getName(),
                "broker",
                "--data-dir",
                dataDir(node).toString(),
                "--listen",
                bootstrap(node),
                "--registry-listen",
                host(node) + ":" + registryPorts[node],
                "--set",
                "node.id=" + node,
                "--set",
                "controller.quorum.voters=" + voters));
        if (node > voterCount) {
            cmd.add("--set");
            cmd.add("controller.quorum.observer.address=" + host(node) + ":" + quorumPorts[node]);
        }
        for (String setting : extraSettings) {
            cmd.add("--set");
            cmd.add(setting);
        }
        logOffsets[node] = Files.exists(log(node)) ? Files.size(log(node)) : 0;
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log(node).toFile()));
        processes[node] = pb.start();
    }

    /**
     * The broker's own classes plus its runtime dependencies, as {@code bin/tributary} runs it: the list the build
     * writes next to this class ({@code broker-runtime.classpath}, maven-dependency-plugin's build-classpath). A
     * connector test's own classpath would also work but holds all of Flink or Spark (hundreds of jars) and a
     * log4j binding that would silence the nodes' logs. Falls back to the test's classpath when the list is
     * missing (a build that skipped generate-test-resources)
     * or names a path that is gone.
     */
    static String brokerClasspath() {
        try (InputStream in = ClusterProcesses.class.getResourceAsStream("broker-runtime.classpath")) {
            if (in == null) {
                return System.getProperty("java.class.path");
            }
            String deps = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            // the list names the build's own paths (reactor modules' target/classes, the local repository):
            // stale once that build is cleaned or moved
            for (String entry : deps.split(File.pathSeparator)) {
                if (!entry.isEmpty() && !Files.exists(Paths.get(entry))) {
                    return System.getProperty("java.class.path");
                }
            }
            String own = Paths.get(TributaryCommand.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
            return deps.isEmpty() ? own : own + File.pathSeparator + deps;
        } catch (IOException | URISyntaxException e) {
            throw new UncheckedIOException(new IOException("cannot build the broker classpath", e));
        }
    }

    public void awaitListening(int node, Duration atMost) {
        await("node " + node + " listening; see " + log(node))
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Process p = processes[node];
                    if (!p.isAlive()) {
                        throw new AssertionError("node " + node + " exited with " + p.exitValue());
                    }
                    String text = Files.readString(log(node));
                    return text.substring((int) Math.min(logOffsets[node], text.length()))
                            .contains("Tributary broker listening on " + bootstrap(node));
                });
    }

    public int nodes() {
        return nodes;
    }

    /** Every node's Kafka listener, comma-separated (a client's bootstrap list). */
    public String bootstrapAll() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= nodes; i++) {
            b.append(i == 1 ? "" : ",").append(bootstrap(i));
        }
        return b.toString();
    }

    /** The node's output since its latest start. */
    public String logSinceStart(int node) throws IOException {
        String text = Files.readString(log(node));
        return text.substring((int) Math.min(logOffsets[node], text.length()));
    }

    /**
     * SIGKILL (on Linux, {@link Process#destroyForcibly()}): no shutdown hook runs, nothing is flushed or fenced.
     * Waits until the process is gone and checks its exit status is 128 + 9.
     */
    public void kill(int node) throws InterruptedException {
        Process p = processes[node];
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS))
                .as("node " + node + " died of SIGKILL")
                .isTrue();
        assertThat(p.exitValue())
                .as("exit status of node " + node + " after SIGKILL")
                .isEqualTo(137);
    }

    /**
     * SIGTERM (on Linux, {@link Process#destroy()}): the broker's shutdown hook fences it and closes its logs.
     * Waits (at most {@code atMost}) until it has exited and checks its exit status is 128 + 15.
     */
    public void stop(int node, Duration atMost) throws InterruptedException {
        Process p = processes[node];
        p.destroy();
        assertThat(p.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS))
                .as("node " + node + " stopped within " + atMost + " of SIGTERM")
                .isTrue();
        assertThat(p.exitValue())
                .as("exit status of node " + node + " after SIGTERM")
                .isEqualTo(143);
    }

    /**
     * Waits until every running node lists every running node in DescribeCluster. A node always lists itself, so
     * this holds only once each node's own metadata has every other broker registered and unfenced: then a
     * CreateTopics sent to any node sees them all.
     */
    public void awaitEveryNodeListsAll(Duration atMost) {
        await("every running node lists every running node; see the node logs in " + dir)
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    java.util.Set<Integer> running = new java.util.TreeSet<>();
                    for (int i = 1; i < processes.length; i++) {
                        if (processes[i] != null && processes[i].isAlive()) {
                            running.add(i);
                        }
                    }
                    for (int node : running) {
                        try (RawClient c = new RawClient(kafkaPorts[node])) {
                            org.apache.kafka.common.message.DescribeClusterResponseData r = c.send(
                                    org.apache.kafka.common.protocol.ApiKeys.DESCRIBE_CLUSTER,
                                    (short) 0,
                                    new org.apache.kafka.common.message.DescribeClusterRequestData());
                            java.util.Set<Integer> listed = new java.util.TreeSet<>();
                            r.brokers().forEach(b -> listed.add(b.brokerId()));
                            assertThat(listed)
                                    .as("brokers listed by node " + node)
                                    .isEqualTo(running);
                        }
                    }
                });
    }

    public void printLogs() {
        for (int i = 1; i <= nodes; i++) {
            try {
                System.out.println("===== output of node " + i + " =====");
                System.out.println(Files.exists(log(i)) ? Files.readString(log(i)) : "(none)");
            } catch (IOException e) {
                System.out.println("(unreadable: " + e + ")");
            }
        }
    }

    /** SIGKILL to every node still running. */
    @Override
    public void close() throws InterruptedException {
        for (Process p : processes) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
        for (Process p : processes) {
            if (p != null) {
                assertThat(p.isAlive()).isFalse();
            }
        }
    }

    private static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0);
                s.setReuseAddress(true);
                sockets.add(s);
                ports.add(s.getLocalPort());
            }
            return ports;
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }
}
