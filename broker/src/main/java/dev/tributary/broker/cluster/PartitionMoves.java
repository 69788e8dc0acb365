package dev.tributary.broker.cluster;

import dev.tributary.broker.errors.MetadataRejectedException;
import dev.tributary.broker.errors.NoReassignmentInProgressException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.Rejected;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.command.MetadataCommand.ElectLeader;
import dev.tributary.metadata.command.MetadataCommand.ElectionType;
import dev.tributary.metadata.command.MetadataCommand.ReassignPartition;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import dev.tributary.metadata.quorum.MetadataQuorum;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Moving partitions on a cluster, for the Admin API: reassignments (replicas onto other brokers, the data copied
 * by the new replicas fetching like any follower) and leader elections (preferred or unclean). Each change goes
 * through the metadata quorum; the nodes act on it when it reaches their image.
 */
public final class PartitionMoves {
    private static final Duration COMMIT_TIMEOUT = ClusterTopics.COMMIT_TIMEOUT;

    private final MetadataQuorum quorum;

    public PartitionMoves(MetadataQuorum quorum) {
        this.quorum = quorum;
    }

    /** A reassignment in progress. */
    public record Reassignment(
            PartitionId partition, List<Integer> replicas, List<Integer> adding, List<Integer> removing) {}

    /**
     * Starts moving {@code partition} to {@code target} replicas (preferred leader first), or with {@code null}
     * cancels the move in progress (the partition goes back to the replicas it had before).
     *
     * @throws RuntimeException UNKNOWN_TOPIC_OR_PARTITION, NO_REASSIGNMENT_IN_PROGRESS for a cancel of nothing, or
     *     the quorum's refusal (e.g. INVALID_REPLICA_ASSIGNMENT naming an unregistered broker)
     */
    public void reassign(PartitionId partition, List<Integer> target) {
        PartitionState state = state(quorum.image(), partition);
        List<Integer> to = target;
        if (to == null) {
            if (!state.isReassigning()) {
                throw new NoReassignmentInProgressException("No reassignment of " + partition + " is in progress");
            }
            to = new ArrayList<>(state.replicas());
            to.removeAll(state.addingReplicas());
        }
        submit(new ReassignPartition(partition.topic(), partition.partition(), to));
    }

    /** The reassignments in progress, of the partitions {@code wanted} accepts. */
    public List<Reassignment> inProgress(Predicate<PartitionId> wanted) {
        List<Reassignment> out = new ArrayList<>();
        for (Map.Entry<String, TopicImage> e : quorum.image().topics().entrySet()) {
            TopicImage t = e.getValue();
            for (int p = 0; p < t.partitionCount(); p++) {
                PartitionState s = t.partition(p);
                PartitionId id = new PartitionId(t.name(), p);
                if (s.isReassigning() && wanted.test(id)) {
                    out.add(new Reassignment(id, s.replicas(), s.addingReplicas(), s.removingReplicas()));
                }
            }
        }
        return out;
    }

    /** Every partition of the cluster (for an election over all partitions). */
    public List<PartitionId> allPartitions() {
        List<PartitionId> out = new ArrayList<>();
        for (TopicImage t : quorum.image().topics().values()) {
            for (int p = 0; p < t.partitionCount(); p++) {
                out.add(new PartitionId(t.name(), p));
            }
        }
        return out;
    }

    /**
     * Elects a leader of {@code partition}: the preferred replica (first of the assignment, if live and in the
     * ISR), or with {@code unclean} a live replica even outside the ISR when no ISR member is live.
     *
     * @throws RuntimeException ELECTION_NOT_NEEDED, PREFERRED_LEADER_NOT_AVAILABLE,
     *     ELIGIBLE_LEADERS_NOT_AVAILABLE or UNKNOWN_TOPIC_OR_PARTITION, as Kafka answers them
     */
    public void elect(PartitionId partition, boolean unclean) {
        state(quorum.image(), partition);
        submit(new ElectLeader(
                partition.topic(), partition.partition(), unclean ? ElectionType.UNCLEAN : ElectionType.PREFERRED));
    }

    /**
     * The partitions whose leader is not their preferred replica although the preferred one is live and in the
     * ISR: what {@code auto.leader.rebalance.enable} moves back.
     */
    public static List<PartitionId> imbalanced(MetadataImage image) {
        List<PartitionId> out = new ArrayList<>();
        for (TopicImage t : image.topics().values()) {
            for (int p = 0; p < t.partitionCount(); p++) {
                PartitionState s = t.partition(p);
                int preferred = s.preferredLeader();
                if (s.leader() != preferred && s.isr().contains(preferred) && image.isLive(preferred)) {
                    out.add(new PartitionId(t.name(), p));
                }
            }
        }
        return out;
    }

    /** Moves leadership back to the preferred replicas where it can (one election per partition). */
    public int rebalanceLeaders() {
        int moved = 0;
        for (PartitionId id : imbalanced(quorum.image())) {
            try {
                elect(id, false);
                moved++;
            } catch (RuntimeException e) {
                // the partition changed meanwhile; the next round looks again
            }
        }
        return moved;
    }

    private static PartitionState state(MetadataImage image, PartitionId id) {
        TopicImage t = image.topic(id.topic());
        PartitionState s = t == null ? null : t.partition(id.partition());
        if (s == null) {
            throw new UnknownTopicOrPartitionException("Partition " + id + " does not exist");
        }
        return s;
    }

    private void submit(MetadataCommand command) {
        CommandResult result = quorum.client().submitAndWait(command, COMMIT_TIMEOUT);
        if (result instanceof Rejected r) {
            throw new MetadataRejectedException(r.error(), r.message());
        }
    }
}
