package dev.tributary.broker.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The nodes {@code dev-cluster} starts: node I (from 1) listens for Kafka clients on {@code kafkaPort + I - 1},
 * serves the schema registry on {@code registryPort + I - 1}, runs its metadata quorum voter on
 * {@code quorumPort + I - 1} and keeps its data in {@code <data dir>/node-I}. Pure: it checks the numbers and
 * builds the command lines, and starts nothing. Topics default to three replicas ({@code min(3, N)}) with
 * {@code min.insync.replicas} {@code min(2, N)}, the settings a Kafka user runs a cluster with.
 */
record DevClusterPlan(String host, List<Node> nodes) {

    static final int MAX_NODES = 16;

    /** One node's ports and data directory. */
    record Node(int id, int kafkaPort, int registryPort, int quorumPort, Path dataDir) {}

    DevClusterPlan {
        nodes = List.copyOf(nodes);
    }

    static DevClusterPlan of(int count, Path dataDir, String host, int kafkaPort, int registryPort, int quorumPort) {
        if (count < 1 || count > MAX_NODES) {
            throw new IllegalArgumentException("--nodes must be between 1 and " + MAX_NODES + ", got " + count);
        }
        checkRange("--kafka-port", kafkaPort, count);
        checkRange("--registry-port", registryPort, count);
        checkRange("--quorum-port", quorumPort, count);
        checkApart("--kafka-port", kafkaPort, "--registry-port", registryPort, count);
        checkApart("--kafka-port", kafkaPort, "--quorum-port", quorumPort, count);
        checkApart("--registry-port", registryPort, "--quorum-port", quorumPort, count);
        List<Node> nodes = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            nodes.add(new Node(
                    i, kafkaPort + i - 1, registryPort + i - 1, quorumPort + i - 1, dataDir.resolve("node-" + i)));
        }
        return new DevClusterPlan(host, nodes);
    }

    private static void checkRange(String option, int first, int count) {
        if (first < 1 || first + count - 1 > 65535) {
            throw new IllegalArgumentException(
                    option + " " + first + " leaves no room for " + count + " ports below 65536");
        }
    }

    private static void checkApart(String a, int firstA, String b, int firstB, int count) {
        if (firstA < firstB + count && firstB < firstA + count) {
            throw new IllegalArgumentException(a + " " + firstA + " and " + b + " " + firstB + " overlap for " + count
                    + " nodes (each takes " + count + " consecutive ports)");
        }
    }

    /** {@code controller.quorum.voters}: {@code 1@host:q1,2@host:q2,...}. */
    String voters() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(sb.length() == 0 ? "" : ",").append(n.id()).append('@').append(address(n.quorumPort()));
        }
        return sb.toString();
    }

    /** The clients' {@code bootstrap.servers}: every node's Kafka address. */
    String bootstrap() {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(sb.length() == 0 ? "" : ",").append(address(n.kafkaPort()));
        }
        return sb.toString();
    }

    /** The arguments of {@code bin/tributary} that start {@code node} (the launcher contract). */
    List<String> brokerArgs(Node node) {
        return List.of(
                "broker",
                "--data-dir",
                node.dataDir().toString(),
                "--listen",
                address(node.kafkaPort()),
                "--registry-listen",
                address(node.registryPort()),
                "--set",
                "node.id=" + node.id(),
                "--set",
                "controller.quorum.voters=" + voters(),
                "--set",
                "default.replication.factor=" + replicationFactor(),
                "--set",
                "min.insync.replicas=" + minInsyncReplicas(),
                "--set",
                "offsets.topic.replication.factor=" + replicationFactor());
    }

    /** New topics get three replicas, or one per node on a smaller cluster. */
    int replicationFactor() {
        return Math.min(3, nodes.size());
    }

    /** acks=all waits for two replicas, or every replica where there are fewer. */
    int minInsyncReplicas() {
        return Math.min(2, nodes.size());
    }

    private String address(int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
