package dev.tributary.broker.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code dev-cluster}: a local cluster of N broker processes for development, each started with the launcher
 * contract ({@code broker --set node.id=I --set controller.quorum.voters=...}); see {@link DevClusterPlan} for
 * the ports. It prints the bootstrap list, waits, and stops every node on Ctrl-C or SIGTERM.
 */
@Command(
        name = "dev-cluster",
        mixinStandardHelpOptions = true,
        description = "Start a local cluster of N broker processes (for development) and stop it on Ctrl-C.")
public final class DevClusterCommand implements Callable<Integer> {
    /** How long a node may take to stop after SIGTERM before it is killed. */
    private static final long STOP_TIMEOUT_SECONDS = 30;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (default ${DEFAULT-VALUE}).")
    int nodes;

    @Option(
            names = "--data-dir",
            defaultValue = "dev-cluster",
            description = "Parent of the nodes' data directories node-1, node-2, ... (default ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address every node listens on.")
    String host;

    @Option(
            names = "--kafka-port",
            defaultValue = "9092",
            description = "Kafka port of node 1; node I uses this + I - 1 (default ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(
            names = "--registry-port",
            defaultValue = "8081",
            description = "Schema registry port of node 1 (default ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(
            names = "--quorum-port",
            defaultValue = "9192",
            description = "Metadata quorum port of node 1 (default ${DEFAULT-VALUE}).")
    int quorumPort;

    private volatile boolean stopping;

    DevClusterPlan plan() {
        return DevClusterPlan.of(nodes, dataDir, host, kafkaPort, registryPort, quorumPort);
    }

    @Override
    public Integer call() throws Exception {
        DevClusterPlan plan = plan();
        Files.createDirectories(dataDir);
        List<Process> started = new ArrayList<>();
        Thread stopper = new Thread(
                () -> {
                    stopping = true;
                    stopAll(started);
                },
                "tributary-dev-cluster-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        for (DevClusterPlan.Node node : plan.nodes()) {
            Path log = dataDir.resolve("node-" + node.id() + ".log");
            synchronized (started) {
                started.add(start(plan, node, log));
            }
            System.out.printf(
                    "node %d: kafka %s:%d, registry %s:%d, quorum %s:%d, data %s, output %s%n",
                    node.id(),
                    plan.host(),
                    node.kafkaPort(),
                    plan.host(),
                    node.registryPort(),
                    plan.host(),
                    node.quorumPort(),
                    node.dataDir(),
                    log);
        }
        System.out.println("bootstrap.servers=" + plan.bootstrap());
        System.out.println("Press Ctrl-C to stop every node.");
        System.out.flush();
        // wait until a node exits on its own; Ctrl-C runs the shutdown hook, which stops them all
        while (true) {
            if (stopping) {
                Thread.sleep(500); // the shutdown hook is stopping the nodes; the JVM exits when it is done
                continue;
            }
            synchronized (started) {
                for (int i = 0; i < started.size(); i++) {
                    Process p = started.get(i);
                    if (!p.isAlive()) {
                        System.err.printf("node %d exited with status %d; stopping the others%n", i + 1, p.exitValue());
                        Runtime.getRuntime().removeShutdownHook(stopper);
                        stopAll(started);
                        return 1;
                    }
                }
            }
            Thread.sleep(500);
        }
    }

    private static Process start(DevClusterPlan plan, DevClusterPlan.Node node, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(TributaryCommand.class.getName());
        cmd.addAll(plan.brokerArgs(node));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return pb.start();
    }

    /** SIGTERM to every node (each fences itself and flushes), then SIGKILL to any still running after a while. */
    private static void stopAll(List<Process> processes) {
        List<Process> all;
        synchronized (processes) {
            all = new ArrayList<>(processes);
        }
        all.forEach(Process::destroy);
        for (Process p : all) {
            try {
                if (!p.waitFor(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        System.out.println("dev-cluster: every node stopped");
    }
}
