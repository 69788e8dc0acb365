package dev.tributary.broker.cluster;

import dev.tributary.broker.errors.TopicExistsException;
import dev.tributary.broker.group.ConsumerOffsetsRecords;
import dev.tributary.broker.group.CoordinatorLocator;
import dev.tributary.broker.group.GroupError;
import dev.tributary.broker.group.GroupPartitioner;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FindCoordinator on a cluster node: the coordinator of a group is the leader of its {@code __consumer_offsets}
 * partition in the metadata image ({@link #coordinatorOf}, pure). While the topic does not exist the first lookup
 * creates it through the quorum, in the background, with {@code offsets.topic.num.partitions} partitions and
 * {@code offsets.topic.replication.factor} replicas, compacted; meanwhile, and while the group's partition has no
 * live leader, the answer is {@code COORDINATOR_NOT_AVAILABLE} and the client retries. As in Kafka (since 0.11) the
 * replication factor is not lowered for a smaller cluster: with fewer live brokers the creation fails, is logged,
 * and is tried again at the next lookup.
 */
public final class OffsetsTopicLocator implements CoordinatorLocator {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetsTopicLocator.class);

    private final Supplier<ClusterTopics> topics;
    private final Supplier<ClusterView> view;
    private final Scheduler scheduler;
    private final int partitions;
    private final int replicationFactor;
    private final Map<String, String> configs;
    private final AtomicBoolean creating = new AtomicBoolean();
    /** The last failure logged, so that a client retrying every 100 ms does not repeat it in the log. */
    private volatile String lastFailure;

    /**
     * @param topics the cluster's topics (null until the node has joined the cluster)
     * @param view the live brokers and their addresses
     */
    public OffsetsTopicLocator(
            Supplier<ClusterTopics> topics,
            Supplier<ClusterView> view,
            Scheduler scheduler,
            int partitions,
            int replicationFactor,
            Map<String, String> configs) {
        this.topics = topics;
        this.view = view;
        this.scheduler = scheduler;
        this.partitions = partitions;
        this.replicationFactor = replicationFactor;
        this.configs = Map.copyOf(configs);
    }

    @Override
    public Answer locate(String groupId) {
        ClusterTopics cluster = topics.get();
        if (cluster == null) {
            return new Unavailable(GroupError.COORDINATOR_NOT_AVAILABLE, "this node has not joined the cluster yet");
        }
        TopicImage topic = cluster.topic(ConsumerOffsetsRecords.TOPIC);
        if (topic == null) {
            createInBackground(cluster);
            return new Unavailable(
                    GroupError.COORDINATOR_NOT_AVAILABLE, ConsumerOffsetsRecords.TOPIC + " is being created");
        }
        return coordinatorOf(groupId, topic, view.get());
    }

    /** The leader of the group's partition of {@code topic}, if {@code view} lists it as a live broker. */
    static Answer coordinatorOf(String groupId, TopicImage topic, ClusterView view) {
        int p = GroupPartitioner.partitionFor(groupId, topic.partitionCount());
        PartitionState state = topic.partition(p);
        if (!state.hasLeader()) {
            return new Unavailable(
                    GroupError.COORDINATOR_NOT_AVAILABLE,
                    ConsumerOffsetsRecords.TOPIC + "-" + p + " has no leader now");
        }
        for (ClusterView.Node n : view.brokers()) {
            if (n.id() == state.leader()) {
                return new Located(n.id(), n.host(), n.port());
            }
        }
        return new Unavailable(
                GroupError.COORDINATOR_NOT_AVAILABLE,
                "broker " + state.leader() + ", the leader of " + ConsumerOffsetsRecords.TOPIC + "-" + p
                        + ", is not live");
    }

    private void createInBackground(ClusterTopics cluster) {
        if (!creating.compareAndSet(false, true)) {
            return;
        }
        scheduler.scheduleOnce("create-" + ConsumerOffsetsRecords.TOPIC, 0, () -> {
            try {
                ClusterTopics.Created c = cluster.create(
                        ConsumerOffsetsRecords.TOPIC, partitions, replicationFactor, List.of(), configs, false);
                LOG.info(
                        "Created {} with {} partitions and replication factor {}",
                        c.name(),
                        c.partitions(),
                        c.replicationFactor());
            } catch (TopicExistsException e) {
                // another node created it first
            } catch (RuntimeException e) {
                String failure = String.valueOf(e.getMessage());
                if (!failure.equals(lastFailure)) {
                    lastFailure = failure;
                    LOG.warn(
                            "Could not create {} ({} partitions, offsets.topic.replication.factor={}): {}; consumer"
                                    + " groups wait until it can be created",
                            ConsumerOffsetsRecords.TOPIC,
                            partitions,
                            replicationFactor,
                            failure);
                }
            } finally {
                creating.set(false);
            }
        });
    }
}
