package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.errors.InvalidConfigException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cluster keys of BrokerConfig: when a node is a cluster node, and the checks on node.id and the voters. */
class ClusterConfigTest {
    private static final String VOTERS = "1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103";

    @Test
    void aNodeIsPartOfAClusterOnlyWithBothNodeIdAndVoters() {
        assertThat(BrokerConfig.defaults().clusterMode()).isFalse();
        assertThat(BrokerConfig.fromMap(Map.of("node.id", "2")).clusterMode()).isFalse();
        BrokerConfig c = BrokerConfig.fromMap(Map.of("node.id", "2", "controller.quorum.voters", VOTERS));
        assertThat(c.clusterMode()).isTrue();
        assertThat(c.quorumVoters().require(2).port()).isEqualTo(9102);
        assertThat(c.brokerHeartbeatIntervalMs()).isEqualTo(2000);
        assertThat(c.brokerSessionTimeoutMs()).isEqualTo(9000);
        assertThat(c.unknownKeys(List.of())).isEmpty();
    }

    @Test
    void defaultReplicationFactorIsOneAndIsCheckedOnClusterNodesOnly() {
        assertThat(BrokerConfig.fromMap(Map.of("node.id", "2", "controller.quorum.voters", VOTERS))
                        .defaultReplicationFactor())
                .isEqualTo(1);
        assertThat(BrokerConfig.fromMap(Map.of(
                                "node.id", "2", "controller.quorum.voters", VOTERS, "default.replication.factor", "3"))
                        .defaultReplicationFactor())
                .isEqualTo(3);
        assertThatThrownBy(() -> BrokerConfig.fromMap(
                        Map.of("node.id", "2", "controller.quorum.voters", VOTERS, "default.replication.factor", "0")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("default.replication.factor");
        // a single node never reads it, so a value copied from a Kafka config does not stop it
        assertThat(BrokerConfig.fromMap(Map.of("default.replication.factor", "0"))
                        .clusterMode())
                .isFalse();
    }

    @Test
    void refusesANodeIdThatIsNotAVoterNamingBoth() {
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("node.id", "4", "controller.quorum.voters", VOTERS)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("node.id 4")
                .hasMessageContaining(VOTERS);
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("controller.quorum.voters", VOTERS)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("node.id is not set");
    }

    @Test
    void refusesBadVotersAndAHeartbeatNoShorterThanTheSession() {
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of("node.id", "1", "controller.quorum.voters", "1@b")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("controller.quorum.voters")
                .hasMessageContaining("'1@b'");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of(
                        "node.id", "1",
                        "controller.quorum.voters", VOTERS,
                        "broker.heartbeat.interval.ms", "3000",
                        "broker.session.timeout.ms", "3000")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("broker.heartbeat.interval.ms");
    }
}
