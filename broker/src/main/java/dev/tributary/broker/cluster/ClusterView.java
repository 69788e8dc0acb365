package dev.tributary.broker.cluster;

import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The brokers and the controller that Metadata and DescribeCluster report.
 *
 * <p>A single node is the whole cluster and its own controller. In a cluster the brokers are the
 * registered, unfenced ones of the metadata image, and the controller is the quorum leader ({@value
 * #NO_CONTROLLER} while none is known). This broker is always listed, even before its registration
 * commits or while it is fenced: clients bootstrap from it, and it is the one broker it knows to be up.
 */
public record ClusterView(List<Node> brokers, int controllerId) {

    /** Kafka's "no controller known" id. */
    public static final int NO_CONTROLLER = -1;
    /** The listener name Kafka clients' endpoint is registered under. */
    public static final String KAFKA_LISTENER = "PLAINTEXT";

    /** A broker as clients see it: id and the address to connect to. */
    public record Node(int id, String host, int port) {}

    public ClusterView {
        brokers = List.copyOf(brokers);
    }

    /** One broker, which is also the controller. */
    public static ClusterView singleNode(int nodeId, InetSocketAddress advertised) {
        return new ClusterView(List.of(self(nodeId, advertised)), nodeId);
    }

    /**
     * The view of a cluster node: the unfenced brokers of {@code image} that have a Kafka endpoint, plus
     * this broker if it is not among them, sorted by id; the controller is {@code quorumLeader}.
     */
    public static ClusterView of(
            MetadataImage image, Optional<Integer> quorumLeader, int selfId, InetSocketAddress selfAdvertised) {
        List<Node> nodes = new ArrayList<>();
        boolean selfListed = false;
        for (BrokerRegistration b : image.brokers().values()) {
            if (b.fenced()) {
                continue;
            }
            if (b.id() == selfId) {
                selfListed = true;
                nodes.add(self(selfId, selfAdvertised));
                continue;
            }
            kafkaEndpoint(b).ifPresent(e -> nodes.add(new Node(b.id(), e.host(), e.port())));
        }
        if (!selfListed) {
            nodes.add(self(selfId, selfAdvertised));
        }
        nodes.sort(Comparator.comparingInt(Node::id));
        return new ClusterView(nodes, quorumLeader.orElse(NO_CONTROLLER));
    }

    /**
     * The view of a node that has lost its session with the quorum and fenced itself: the other brokers its last
     * image lists as unfenced, not itself, and no controller; only itself if its image lists no other. A client
     * that asks it for metadata then asks one of the others next, which know the current leaders. Listing only
     * itself locked such a client onto it: the client's whole cluster was this node, whose stale image kept
     * naming it leader of partitions it had stopped leading, so the client's sends to them failed over and over
     * with NOT_LEADER_OR_FOLLOWER for as long as the partition lasted (NetworkPartitionTest).
     */
    public static ClusterView sessionLost(MetadataImage image, int selfId, InetSocketAddress selfAdvertised) {
        List<Node> others = of(image, Optional.empty(), selfId, selfAdvertised).brokers().stream()
                .filter(n -> n.id() != selfId)
                .toList();
        return new ClusterView(
                others.isEmpty() ? singleNode(selfId, selfAdvertised).brokers() : others, NO_CONTROLLER);
    }

    private static Optional<Endpoint> kafkaEndpoint(BrokerRegistration b) {
        return b.endpoints().stream()
                .filter(e -> e.listener().equals(KAFKA_LISTENER))
                .findFirst();
    }

    private static Node self(int nodeId, InetSocketAddress advertised) {
        return new Node(nodeId, advertised.getHostString(), advertised.getPort());
    }
}
