package dev.tributary.broker.cluster;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.topic.TopicNames;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What a cluster node must do with its local logs when the metadata image changes: the pure rules of
 * {@link LocalReplicas} (no I/O). Compare the image the node last acted on with the new one:
 *
 * <ul>
 *   <li>{@link Lead}: a partition this node leads now and did not lead before (a new topic or partition, or the
 *       node got the leadership back after it was fenced): open its log, creating it if needed, and serve it.
 *   <li>{@link Stop}: a partition this node held a replica of, whose topic is gone (deleted, or deleted and
 *       created again under a new topic id) or which no longer lists this node as a replica: stop serving it
 *       and delete its data. Stops come before leads, so a topic created again under the same name starts from
 *       an empty log.
 * </ul>
 *
 * <p>A partition whose leadership moves to no leader (its only replica was fenced) stays open: with one replica
 * its log holds every record, and the node serves it again when it leads again. Becoming a follower is not
 * built yet (there is no replication): a partition led by another broker is simply not opened here.
 *
 * <p>The broker's own topics ({@code __consumer_offsets}, {@code _schemas}) are kept by each node itself in this
 * version and are never touched, even if the image lists a topic of that name.
 */
public final class ReplicaPlan {

    /** One step of the plan. */
    public sealed interface Action {
        PartitionId partition();
    }

    /** Open (create if missing) and serve the log of {@code partition}, with the topic's configs. */
    public record Lead(PartitionId partition, UUID topicId, Map<String, String> configs) implements Action {
        public Lead {
            configs = Map.copyOf(configs);
        }
    }

    /** Stop serving {@code partition} and delete its data. */
    public record Stop(PartitionId partition) implements Action {}

    private ReplicaPlan() {}

    /** The actions that take node {@code self} from {@code previous} to {@code current}: stops, then leads. */
    public static List<Action> between(MetadataImage previous, MetadataImage current, int self) {
        List<Action> stops = new ArrayList<>();
        List<Action> leads = new ArrayList<>();
        for (TopicImage before : previous.topics().values()) {
            if (TopicNames.isProtectedFromDeletion(before.name())) {
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
            if (TopicNames.isProtectedFromDeletion(after.name())) {
                continue;
            }
            TopicImage before = previous.topic(after.name());
            boolean sameTopic = before != null && before.topicId().equals(after.topicId());
            for (int p = 0; p < after.partitionCount(); p++) {
                if (after.partition(p).leader() != self) {
                    continue;
                }
                PartitionState was = sameTopic ? before.partition(p) : null;
                if (was == null || was.leader() != self) {
                    leads.add(new Lead(new PartitionId(after.name(), p), after.topicId(), after.configs()));
                }
            }
        }
        stops.addAll(leads);
        return stops;
    }

    /** True if {@code image} has the partition (so a node that does not host it is not its leader). */
    public static boolean knows(MetadataImage image, PartitionId id) {
        TopicImage t = image.topic(id.topic());
        return t != null && t.partition(id.partition()) != null;
    }
}
