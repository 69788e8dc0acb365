package dev.tributary.metadata.apply;

import dev.tributary.metadata.command.MetadataCommand.AlterPartition;
import dev.tributary.metadata.command.MetadataCommand.ElectionType;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.PartitionState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The rules that change one partition's replication state: ISR changes proposed by the leader, broker
 * fencing and unfencing, leader elections and reassignments. Pure functions of the partition and of which
 * brokers are live; {@link MetadataApplier} applies them to the image.
 *
 * <p>Every change that returns a different state bumps the partition epoch; a change of leader also bumps
 * the leader epoch. A rule that changes nothing returns the same instance, so callers can tell.
 */
public final class PartitionRules {

    private PartitionRules() {}

    /**
     * A leader's proposed ISR. Refused if the proposer is not the current leader at the current leader
     * epoch, if the partition epoch moved since the proposer read it, or if the new ISR breaks a rule: it
     * must hold the leader, only replicas, no duplicates, and only live brokers (a fenced broker may not
     * join). The leader may shrink the ISR down to itself; {@code min.insync.replicas} is enforced when
     * producing, not here, as in Kafka.
     */
    public static PartitionChange alterIsr(PartitionState p, AlterPartition cmd, IntPredicate live) {
        String where = cmd.topic() + "-" + cmd.partition();
        if (cmd.leaderEpoch() < p.leaderEpoch()) {
            return PartitionChange.refused(
                    MetadataError.FENCED_LEADER_EPOCH,
                    where + ": leader epoch " + cmd.leaderEpoch() + " is older than the current " + p.leaderEpoch());
        }
        if (cmd.leaderId() != p.leader() || cmd.leaderEpoch() != p.leaderEpoch()) {
            return PartitionChange.refused(
                    MetadataError.NOT_LEADER_OR_FOLLOWER,
                    where + ": broker "
                            + cmd.leaderId() + " at leader epoch " + cmd.leaderEpoch() + " is not the leader (leader "
                            + p.leader() + ", epoch " + p.leaderEpoch() + ")");
        }
        if (cmd.partitionEpoch() != p.partitionEpoch()) {
            return PartitionChange.refused(
                    MetadataError.INVALID_UPDATE_VERSION,
                    where + ": partition epoch " + cmd.partitionEpoch() + " is stale, the current one is "
                            + p.partitionEpoch());
        }
        List<Integer> isr = cmd.newIsr();
        if (!isr.contains(p.leader())) {
            return PartitionChange.refused(
                    MetadataError.INVALID_REQUEST,
                    where + ": proposed ISR " + isr + " does not contain the leader " + p.leader());
        }
        if (new HashSet<>(isr).size() != isr.size()) {
            return PartitionChange.refused(
                    MetadataError.INVALID_REQUEST, where + ": proposed ISR " + isr + " contains a duplicate");
        }
        for (int member : isr) {
            if (!p.replicas().contains(member)) {
                return PartitionChange.refused(
                        MetadataError.INELIGIBLE_REPLICA,
                        where + ": broker " + member + " in the proposed ISR is not a replica " + p.replicas());
            }
            if (!live.test(member)) {
                return PartitionChange.refused(
                        MetadataError.INELIGIBLE_REPLICA,
                        where + ": broker " + member + " is fenced and may not join the ISR");
            }
        }
        if (isr.equals(p.isr())) {
            return PartitionChange.to(p);
        }
        return PartitionChange.to(maybeCompleteReassignment(p.withIsr(isr), live));
    }

    /**
     * A broker was fenced ({@code live} already says so). It leaves the ISR unless it is its last member:
     * then the ISR keeps it (it holds every acknowledged record) and the partition goes leaderless until it
     * comes back, or, if {@code uncleanAllowed}, another live replica takes over unclean. If it led, the
     * first live ISR member in assignment order becomes leader.
     */
    public static PartitionState onBrokerFenced(
            PartitionState p, int broker, IntPredicate live, boolean uncleanAllowed) {
        if (!p.isr().contains(broker) && p.leader() != broker) {
            return p;
        }
        List<Integer> isr = p.isr();
        if (isr.size() > 1) {
            isr = new ArrayList<>(isr);
            isr.remove(Integer.valueOf(broker));
        }
        if (p.leader() == broker) {
            return LeaderElection.elect(p, isr, live, uncleanAllowed);
        }
        return isr.equals(p.isr()) ? p : p.withIsr(isr);
    }

    /** A broker was unfenced: a leaderless partition it can lead (in the ISR, or unclean if allowed) gets it. */
    public static PartitionState onBrokerUnfenced(
            PartitionState p, int broker, IntPredicate live, boolean uncleanAllowed) {
        if (p.hasLeader() || !p.replicas().contains(broker)) {
            return p;
        }
        PartitionState elected = LeaderElection.elect(p, live, uncleanAllowed);
        return elected.hasLeader() ? elected : p;
    }

    /** An election requested by an operator or the broker; see {@link ElectionType}. */
    public static PartitionChange elect(PartitionState p, String where, ElectionType type, IntPredicate live) {
        switch (type) {
            case PREFERRED -> {
                int preferred = p.preferredLeader();
                if (p.leader() == preferred) {
                    return PartitionChange.refused(
                            MetadataError.ELECTION_NOT_NEEDED,
                            where + ": the preferred replica " + preferred + " already leads");
                }
                if (!live.test(preferred) || !p.isr().contains(preferred)) {
                    return PartitionChange.refused(
                            MetadataError.PREFERRED_LEADER_NOT_AVAILABLE,
                            where
                                    + ": the preferred replica " + preferred + " is "
                                    + (live.test(preferred) ? "not in the ISR " + p.isr() : "fenced"));
                }
                return PartitionChange.to(p.withLeaderAndIsr(preferred, p.isr()));
            }
            case CLEAN, UNCLEAN -> {
                if (p.hasLeader() && live.test(p.leader())) {
                    return PartitionChange.refused(
                            MetadataError.ELECTION_NOT_NEEDED, where + ": broker " + p.leader() + " leads and is live");
                }
                PartitionState elected = LeaderElection.elect(p, live, type == ElectionType.UNCLEAN);
                if (!elected.hasLeader()) {
                    return PartitionChange.refused(
                            MetadataError.ELIGIBLE_LEADERS_NOT_AVAILABLE,
                            where
                                    + ": no live replica "
                                    + (type == ElectionType.UNCLEAN ? "" : "in the ISR " + p.isr() + " ") + "can lead");
                }
                return PartitionChange.to(elected);
            }
            default -> throw new IllegalStateException("unknown election type " + type);
        }
    }

    /**
     * Starts moving a partition to {@code target}. The replicas become the target followed by the replicas
     * being removed; replicas being added join the ISR through the leader's AlterPartition like any follower.
     * If the target is already in the ISR the move completes at once. A new target replaces a move in
     * progress (replicas already added but no longer wanted are removed again).
     */
    public static PartitionChange reassign(
            PartitionState p, String where, List<Integer> target, IntPredicate registered, IntPredicate live) {
        if (target.isEmpty()) {
            return PartitionChange.refused(
                    MetadataError.INVALID_REPLICA_ASSIGNMENT, where + ": target replicas are empty");
        }
        if (new HashSet<>(target).size() != target.size()) {
            return PartitionChange.refused(
                    MetadataError.INVALID_REPLICA_ASSIGNMENT,
                    where + ": target replicas " + target + " contain a duplicate");
        }
        for (int broker : target) {
            if (!registered.test(broker)) {
                return PartitionChange.refused(
                        MetadataError.INVALID_REPLICA_ASSIGNMENT,
                        where + ": broker " + broker + " in the target replicas is not registered");
            }
        }
        // the replicas as they were before any move in progress: what the partition holds data on
        List<Integer> original = new ArrayList<>(p.replicas());
        original.removeAll(p.addingReplicas());
        if (target.equals(p.replicas()) && !p.isReassigning()) {
            return PartitionChange.to(p);
        }
        List<Integer> adding = new ArrayList<>(target);
        adding.removeAll(original);
        List<Integer> removing = new ArrayList<>(original);
        removing.removeAll(target);
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(removing);
        // replicas added by an earlier move and no longer wanted leave the ISR with it
        List<Integer> isr = new ArrayList<>(p.isr());
        isr.retainAll(replicas);
        PartitionState moving = p.withReplicas(replicas, adding, removing);
        if (!isr.equals(p.isr())) {
            moving = isr.contains(p.leader()) ? moving.withIsr(isr) : LeaderElection.elect(moving, isr, live, false);
        }
        return PartitionChange.to(maybeCompleteReassignment(moving, live));
    }

    /**
     * Completes a reassignment once every target replica is in the ISR: the removed replicas leave the
     * assignment and the ISR, and if the leader was one of them the first live target replica in the ISR
     * takes over.
     */
    public static PartitionState maybeCompleteReassignment(PartitionState p, IntPredicate live) {
        if (!p.isReassigning()) {
            return p;
        }
        List<Integer> target = p.targetReplicas();
        if (!p.isr().containsAll(target)) {
            return p;
        }
        List<Integer> isr = new ArrayList<>(p.isr());
        isr.retainAll(target);
        PartitionState done = new PartitionState(
                target, p.isr(), p.leader(), p.leaderEpoch(), p.partitionEpoch(), List.of(), List.of());
        if (target.contains(p.leader())) {
            return done.withIsr(isr);
        }
        return LeaderElection.elect(done, isr, live, false);
    }
}
