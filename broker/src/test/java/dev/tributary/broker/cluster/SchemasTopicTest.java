package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.config.BrokerConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a cluster fills in what a request to create {@code _schemas} leaves out. */
class SchemasTopicTest {
    private static final String ONE = "1@127.0.0.1:9101";
    private static final String THREE = ONE + ",2@127.0.0.1:9102,3@127.0.0.1:9103";
    private static final String FIVE = THREE + ",4@127.0.0.1:9104,5@127.0.0.1:9105";

    private static BrokerConfig cluster(String voters, Map<String, String> more) {
        java.util.HashMap<String, String> m = new java.util.HashMap<>(more);
        m.put("node.id", "1");
        m.put("controller.quorum.voters", voters);
        return BrokerConfig.fromMap(m);
    }

    @Test
    void replicatesOnThreeNodesOrOnEveryNodeOfASmallerCluster() {
        assertThat(SchemasTopic.replicationFactor(cluster(ONE, Map.of()))).isEqualTo(1);
        assertThat(SchemasTopic.replicationFactor(cluster(ONE + ",2@127.0.0.1:9102", Map.of())))
                .isEqualTo(2);
        assertThat(SchemasTopic.replicationFactor(cluster(THREE, Map.of()))).isEqualTo(3);
        assertThat(SchemasTopic.replicationFactor(cluster(FIVE, Map.of()))).isEqualTo(3);
    }

    @Test
    void anExplicitDefaultReplicationFactorWins() {
        assertThat(SchemasTopic.replicationFactor(cluster(FIVE, Map.of("default.replication.factor", "5"))))
                .isEqualTo(5);
        assertThat(SchemasTopic.replicationFactor(cluster(THREE, Map.of("default.replication.factor", "1"))))
                .isEqualTo(1);
    }

    @Test
    void hasOneCompactedPartitionUnlessTheRequestSaysOtherwise() {
        assertThat(SchemasTopic.partitions(-1)).isEqualTo(1);
        assertThat(SchemasTopic.partitions(2)).isEqualTo(2);
        assertThat(SchemasTopic.configs(Map.of())).containsExactly(Map.entry("cleanup.policy", "compact"));
        assertThat(SchemasTopic.configs(Map.of("cleanup.policy", "delete", "retention.ms", "5")))
                .containsEntry("cleanup.policy", "delete")
                .containsEntry("retention.ms", "5");
    }
}
