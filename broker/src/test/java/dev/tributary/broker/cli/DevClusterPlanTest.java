package dev.tributary.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** dev-cluster's ports and command lines, and its argument checks; no process is started. */
class DevClusterPlanTest {

    private static DevClusterCommand parse(String... args) {
        DevClusterCommand command = new DevClusterCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void threeNodesByDefaultOnTheUsualPortsWithQuorumPortsOfTheirOwn() {
        DevClusterPlan plan = parse().plan();

        assertThat(plan.nodes())
                .containsExactly(
                        new DevClusterPlan.Node(1, 9092, 8081, 9192, Path.of("dev-cluster", "node-1")),
                        new DevClusterPlan.Node(2, 9093, 8082, 9193, Path.of("dev-cluster", "node-2")),
                        new DevClusterPlan.Node(3, 9094, 8083, 9194, Path.of("dev-cluster", "node-3")));
        assertThat(plan.bootstrap()).isEqualTo("127.0.0.1:9092,127.0.0.1:9093,127.0.0.1:9094");
        assertThat(plan.voters()).isEqualTo("1@127.0.0.1:9192,2@127.0.0.1:9193,3@127.0.0.1:9194");
    }

    @Test
    void startsEachNodeWithTheLauncherContract() {
        DevClusterPlan plan = parse("--nodes", "2", "--data-dir", "/tmp/dc").plan();

        assertThat(plan.brokerArgs(plan.nodes().get(1)))
                .isEqualTo(List.of(
                        "broker",
                        "--data-dir",
                        "/tmp/dc/node-2",
                        "--listen",
                        "127.0.0.1:9093",
                        "--registry-listen",
                        "127.0.0.1:8082",
                        "--set",
                        "node.id=2",
                        "--set",
                        "controller.quorum.voters=1@127.0.0.1:9192,2@127.0.0.1:9193",
                        "--set",
                        "default.replication.factor=2",
                        "--set",
                        "min.insync.replicas=2",
                        "--set",
                        "offsets.topic.replication.factor=2"));
    }

    @Test
    void replicatesThreeWaysWithTwoInSyncOnClustersOfThreeOrMoreAndAsFarAsItCanOnSmallerOnes() {
        assertThat(parse("--nodes", "1")
                        .plan()
                        .brokerArgs(parse("--nodes", "1").plan().nodes().get(0)))
                .contains(
                        "default.replication.factor=1", "min.insync.replicas=1", "offsets.topic.replication.factor=1");
        DevClusterPlan five = parse("--nodes", "5").plan();
        assertThat(five.brokerArgs(five.nodes().get(4)))
                .contains("default.replication.factor=3", "min.insync.replicas=2");
        DevClusterPlan three = parse("--nodes", "3").plan();
        assertThat(three.brokerArgs(three.nodes().get(0)))
                .contains("default.replication.factor=3", "min.insync.replicas=2");
    }

    @Test
    void refusesANodeCountOutOfRangeAndPortRangesThatOverlapOrOverflow() {
        assertThatThrownBy(() -> parse("--nodes", "0").plan()).hasMessageContaining("--nodes must be between 1");
        assertThatThrownBy(() -> parse("--nodes", "17").plan()).hasMessageContaining("--nodes must be between 1");
        assertThatThrownBy(() -> parse("--nodes", "5", "--quorum-port", "9095").plan())
                .hasMessageContaining("--kafka-port 9092 and --quorum-port 9095 overlap");
        assertThatThrownBy(() -> parse("--kafka-port", "65534").plan()).hasMessageContaining("below 65536");
        // a hundred nodes apart is fine
        assertThat(parse("--nodes", "16", "--quorum-port", "9108").plan().nodes())
                .hasSize(16);
    }
}
