package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.cluster.ClusterView.Node;
import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What Metadata and DescribeCluster list, from a metadata image. */
class ClusterViewTest {
    private static final InetSocketAddress SELF = InetSocketAddress.createUnresolved("10.0.0.2", 9092);

    private static BrokerRegistration broker(int id, boolean fenced, String listener) {
        return new BrokerRegistration(
                id, UUID.randomUUID(), List.of(new Endpoint(listener, "10.0.0." + id, 9000 + id)), fenced, 0);
    }

    @Test
    void listsTheUnfencedBrokersWithAKafkaEndpointAndTheQuorumLeader() {
        MetadataImage image = MetadataImage.EMPTY
                .withBroker(broker(1, false, "PLAINTEXT"))
                .withBroker(broker(2, false, "PLAINTEXT"))
                .withBroker(broker(3, true, "PLAINTEXT"))
                .withBroker(broker(4, false, "REGISTRY"));
        ClusterView v = ClusterView.of(image, Optional.of(1), 2, SELF);
        assertThat(v.brokers()).containsExactly(new Node(1, "10.0.0.1", 9001), new Node(2, "10.0.0.2", 9092));
        assertThat(v.controllerId()).isEqualTo(1);
    }

    @Test
    void listsThisBrokerBeforeItsRegistrationCommitsAndNoControllerWhileThereIsNoLeader() {
        ClusterView v = ClusterView.of(MetadataImage.EMPTY, Optional.empty(), 2, SELF);
        assertThat(v.brokers()).containsExactly(new Node(2, "10.0.0.2", 9092));
        assertThat(v.controllerId()).isEqualTo(ClusterView.NO_CONTROLLER);

        MetadataImage selfFenced = MetadataImage.EMPTY.withBroker(broker(2, true, "PLAINTEXT"));
        assertThat(ClusterView.of(selfFenced, Optional.of(3), 2, SELF).brokers())
                .containsExactly(new Node(2, "10.0.0.2", 9092));
    }

    @Test
    void aNodeThatLostItsSessionListsTheOtherBrokersOfItsImageAndNotItself() {
        MetadataImage image = MetadataImage.EMPTY
                .withBroker(broker(1, false, "PLAINTEXT"))
                .withBroker(broker(2, false, "PLAINTEXT"))
                .withBroker(broker(3, false, "PLAINTEXT"));
        ClusterView v = ClusterView.sessionLost(image, 2, SELF);
        assertThat(v.brokers()).containsExactly(new Node(1, "10.0.0.1", 9001), new Node(3, "10.0.0.3", 9003));
        assertThat(v.controllerId()).isEqualTo(ClusterView.NO_CONTROLLER);
    }

    @Test
    void aNodeThatLostItsSessionAndKnowsNoOtherBrokerListsItself() {
        MetadataImage image = MetadataImage.EMPTY.withBroker(broker(2, false, "PLAINTEXT"));
        assertThat(ClusterView.sessionLost(image, 2, SELF).brokers()).containsExactly(new Node(2, "10.0.0.2", 9092));
    }

    @Test
    void aSingleNodeIsItsOwnController() {
        ClusterView v = ClusterView.singleNode(0, SELF);
        assertThat(v.brokers()).containsExactly(new Node(0, "10.0.0.2", 9092));
        assertThat(v.controllerId()).isZero();
    }
}
