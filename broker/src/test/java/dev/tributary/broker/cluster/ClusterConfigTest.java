package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.errors.InvalidConfigException;
import dev.tributary.metadata.quorum.QuorumConfig;
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
    void aNodeIdOutsideTheVotersIsABrokerOnlyNodeAndVotersWithoutANodeIdAreRefused() {
        BrokerConfig voter = BrokerConfig.fromMap(Map.of("node.id", "2", "controller.quorum.voters", VOTERS));
        assertThat(voter.isQuorumVoter()).isTrue();
        BrokerConfig brokerOnly = BrokerConfig.fromMap(
                Map.of("node.id", "4", "controller.quorum.voters", VOTERS, "listeners", "PLAINTEXT://10.0.0.4:9092"));
        assertThat(brokerOnly.clusterMode()).isTrue();
        assertThat(brokerOnly.isQuorumVoter()).isFalse();
        // unset, its copy of the metadata log listens next to its Kafka port, on the host it advertises
        assertThat(brokerOnly.quorumObserverAddress()).isEqualTo(new QuorumConfig.Address("10.0.0.4", 9093));
        assertThat(BrokerConfig.fromMap(Map.of(
                                "node.id", "4",
                                "controller.quorum.voters", VOTERS,
                                "listeners", "PLAINTEXT://0.0.0.0:9092",
                                "advertised.listeners", "PLAINTEXT://broker4.example:19092"))
                        .quorumObserverAddress())
                .isEqualTo(new QuorumConfig.Address("broker4.example", 19093));
        assertThat(BrokerConfig.fromMap(Map.of(
                                "node.id", "4",
                                "controller.quorum.voters", VOTERS,
                                "controller.quorum.observer.address", "127.0.0.1:9199"))
                        .quorumObserverAddress())
                .isEqualTo(new QuorumConfig.Address("127.0.0.1", 9199));
        assertThat(brokerOnly.unknownKeys(List.of())).isEmpty();

        // the voters must be able to dial it: no wildcard host, no ephemeral port
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of(
                        "node.id", "4", "controller.quorum.voters", VOTERS, "listeners", "PLAINTEXT://0.0.0.0:9092")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("controller.quorum.observer.address is not set");
        assertThatThrownBy(() -> BrokerConfig.fromMap(Map.of(
                        "node.id", "4",
                        "controller.quorum.voters", VOTERS,
                        "controller.quorum.observer.address", "127.0.0.1:0")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("controller.quorum.observer.address");

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
