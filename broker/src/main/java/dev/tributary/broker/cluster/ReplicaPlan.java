package dev.tributary.broker.cluster;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.replication.LeaderAndIsr;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What a cluster node must do with its local replicas when the metadata image changes: the pure rules of
 * {@link LocalReplicas} (no I/O). Compare the image the node last acted on with the new one:
 *
 * <ul>
 *   <li>{@link Stop}: a partition this node held a replica of, whose topic is gone (deleted, or deleted and
 *       created again under a new topic id) or which no longer lists this node as a replica: stop serving it
 *       and delete its data. Stops come first, so a topic created again under the same name starts from an
 *       empty log.
 *   <li>{@link Lead}: this node leads the partition under a leader epoch (or a replica set) it did not lead
 *       under before: open the log, creating it if needed, and start leading with a fresh replication state.
 *   <li>{@link IsrChanged}: this node still leads under the same epoch and replicas, and the quorum committed
 *       a new ISR (the leader's own proposal, or a fenced follower removed).
 *   <li>{@link Follow}: the partition lists this node as a replica and is led by another node (or by none)
 *       under a leader and epoch this node did not follow before: open the log and replicate from the leader,
 *       truncating a divergent tail first.
 *   <li>{@link ConfigsChanged}: the topic's configs changed and this node keeps its role in the partition:
 *       apply them to the log (retention, segment size, ...) and, as leader, to replication
 *       ({@code min.insync.replicas}).
 * </ul>
 *
 * <p>The broker's own topics ({@code __consumer_offsets}, {@code _schemas}) are planned like any other topic; only a
 * topic {@link ClusterTopics#isLocalOnly} would be left alone.
 */
public final class ReplicaPlan {

    /** One step of the plan. */
    public sealed interface Action {
        PartitionId partition();
    }

    /** Lead {@code partition} under {@code state} (opening or creating its log with the topic's configs). */
    public record Lead(PartitionId partition, UUID topicId, Map<String, String> configs, LeaderAndIsr state)
            implements Action {
        public Lead {
            configs = Map.copyOf(configs);
        }
    }

    /** The ISR of a partition this node keeps leading changed: {@code isr} at {@code partitionEpoch}. */
    public record IsrChanged(PartitionId partition, Set<Integer> isr, int partitionEpoch) implements Action {
        public IsrChanged {
            isr = Set.copyOf(isr);
        }
    }

    /**
     * Follow {@code leader} ({@link LeaderAndIsr#NO_LEADER}: nobody leads; keep the log and wait) for
     * {@code partition} under {@code leaderEpoch}.
     */
    public record Follow(PartitionId partition, UUID topicId, Map<String, String> configs, int leader, int leaderEpoch)
            implements Action {
        public Follow {
            configs = Map.copyOf(configs);
        }
    }

    /** The configs of a topic whose partition this node keeps serving in the same role changed. */
    public record ConfigsChanged(PartitionId partition, Map<String, String> configs) implements Action {
        public ConfigsChanged {
            configs = Map.copyOf(configs);
        }
    }

    /** Stop serving {@code partition} and delete its data. */
    public record Stop(PartitionId partition) implements Action {}

    private ReplicaPlan() {}

    /** The actions that take node {@code self} from {@code previous} to {@code current}: stops first. */
    public static List<Action> between(MetadataImage previous, MetadataImage current, int self) {
        List<Action> stops = new ArrayList<>();
        List<Action> others = new ArrayList<>();
        for (TopicImage before : previous.topics().values()) {
            if (ClusterTopics.isLocalOnly(before.name())) {
                continue;
            }
            TopicImage after = current.topic(before.name());
            boolean sameTopic = after != null && after.topicId().equals(before.topicId());
            for (int p = 0; p < before.partitionCount(); p++) {
                if (!before.partition(p).replicas().contains(self)) {
                    continue;
                }
                PartitionState now = sameTopic ? after.partition(p) : null;
                if (now == null || !now.replicas().contains(self)) {
                    stops.add(new Stop(new PartitionId(before.name(), p)));
                }
            }
        }
        for (TopicImage after : current.topics().values()) {
            if (ClusterTopics.isLocalOnly(after.name())) {
                continue;
            }
            TopicImage before = previous.topic(after.name());
            boolean sameTopic = before != null && before.topicId().equals(after.topicId());
            for (int p = 0; p < after.partitionCount(); p++) {
                PartitionState now = after.partition(p);
                if (!now.replicas().contains(self)) {
                    continue;
                }
                PartitionState was = sameTopic ? before.partition(p) : null;
                if (was != null && !was.replicas().contains(self)) {
                    was = null; // this node was not a replica before: nothing it did then carries over
                }
                PartitionId id = new PartitionId(after.name(), p);
                Action action = step(id, after, was, now, self);
                if (action != null) {
                    others.add(action);
                }
                if ((action == null || action instanceof IsrChanged)
                        && was != null
                        && !before.configs().equals(after.configs())) {
                    others.add(new ConfigsChanged(id, after.configs()));
                }
            }
        }
        stops.addAll(others);
        return stops;
    }

    private static Action step(PartitionId id, TopicImage topic, PartitionState was, PartitionState now, int self) {
        if (now.leader() == self) {
            boolean ledBefore = was != null
                    && was.leader() == self
                    && was.leaderEpoch() == now.leaderEpoch()
                    && was.replicas().equals(now.replicas());
            if (!ledBefore) {
                return new Lead(id, topic.topicId(), topic.configs(), leaderAndIsr(now));
            }
            if (was.partitionEpoch() != now.partitionEpoch() && !was.isr().equals(now.isr())) {
                return new IsrChanged(id, Set.copyOf(now.isr()), now.partitionEpoch());
            }
            return null;
        }
        boolean followedBefore = was != null && was.leader() == now.leader() && was.leaderEpoch() == now.leaderEpoch();
        if (followedBefore) {
            return null;
        }
        return new Follow(id, topic.topicId(), topic.configs(), now.leader(), now.leaderEpoch());
    }

    /**
     * The replicas on this node's disk that {@code image} no longer gives it: the topic is gone, the partition lists
     * other replicas, or the directory holds data of another topic id (a topic of the same name created again).
     *
     * @param onDisk each cluster replica on disk with the topic id its directory records, if any
     */
    public static List<PartitionId> staleReplicas(
            MetadataImage image, Map<PartitionId, java.util.Optional<UUID>> onDisk, int self) {
        List<PartitionId> stale = new ArrayList<>();
        for (Map.Entry<PartitionId, java.util.Optional<UUID>> e : onDisk.entrySet()) {
            PartitionId id = e.getKey();
            TopicImage topic = image.topic(id.topic());
            PartitionState state = topic == null ? null : topic.partition(id.partition());
            if (state == null
                    || !state.replicas().contains(self)
                    || e.getValue()
                            .map(recorded -> !recorded.equals(topic.topicId()))
                            .orElse(false)) {
                stale.add(id);
            }
        }
        stale.sort(java.util.Comparator.comparing(PartitionId::topic).thenComparingInt(PartitionId::partition));
        return stale;
    }

    /** The replication package's view of a partition's committed state. */
    public static LeaderAndIsr leaderAndIsr(PartitionState s) {
        return new LeaderAndIsr(s.leader(), s.leaderEpoch(), s.replicas(), Set.copyOf(s.isr()), s.partitionEpoch());
    }

    /** True if {@code image} has the partition (so a node that does not host it is not its leader). */
    public static boolean knows(MetadataImage image, PartitionId id) {
        TopicImage t = image.topic(id.topic());
        return t != null && t.partition(id.partition()) != null;
    }
}
