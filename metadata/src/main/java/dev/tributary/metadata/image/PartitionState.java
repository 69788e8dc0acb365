package dev.tributary.metadata.image;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The replication state of one partition.
 *
 * <ul>
 *   <li>{@code replicas}: the assignment, preferred leader first. During a reassignment it is the target
 *       replicas followed by the ones being removed.</li>
 *   <li>{@code isr}: the in-sync replicas; never empty once the partition exists, and it contains the
 *       leader whenever there is one.</li>
 *   <li>{@code leader}: a broker id, or {@link #NO_LEADER}.</li>
 *   <li>{@code leaderEpoch}: incremented on every change of leader (also to and from no leader).</li>
 *   <li>{@code partitionEpoch}: incremented on every change of this record; an AlterPartition names the
 *       epoch it saw and is refused if the record has moved on since.</li>
 *   <li>{@code addingReplicas}, {@code removingReplicas}: the reassignment in progress, both empty when
 *       none is.</li>
 * </ul>
 */
public record PartitionState(
        List<Integer> replicas,
        List<Integer> isr,
        int leader,
        int leaderEpoch,
        int partitionEpoch,
        List<Integer> addingReplicas,
        List<Integer> removingReplicas) {

    public static final int NO_LEADER = -1;

    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("a partition needs at least one replica");
        }
        if (isr.isEmpty()) {
            throw new IllegalArgumentException("the ISR of a partition on " + replicas + " is empty");
        }
        if (new HashSet<>(replicas).size() != replicas.size()) {
            throw new IllegalArgumentException("replicas " + replicas + " contain a duplicate");
        }
        if (leader != NO_LEADER && !isr.contains(leader)) {
            throw new IllegalArgumentException("leader " + leader + " is not in the ISR " + isr);
        }
    }

    /** A new partition led by {@code leader} with the given ISR, both epochs 0. */
    public static PartitionState created(List<Integer> replicas, List<Integer> isr, int leader) {
        return new PartitionState(replicas, isr, leader, 0, 0, List.of(), List.of());
    }

    public boolean hasLeader() {
        return leader != NO_LEADER;
    }

    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** The replicas the partition ends with once its reassignment completes (all replicas if none runs). */
    public List<Integer> targetReplicas() {
        if (removingReplicas.isEmpty()) {
            return replicas;
        }
        List<Integer> target = new ArrayList<>(replicas);
        target.removeAll(removingReplicas);
        return List.copyOf(target);
    }

    /** The preferred leader: the first replica of the assignment. */
    public int preferredLeader() {
        return replicas.get(0);
    }

    /** This record with a new ISR and the next partition epoch. */
    public PartitionState withIsr(List<Integer> newIsr) {
        return new PartitionState(
                replicas, newIsr, leader, leaderEpoch, partitionEpoch + 1, addingReplicas, removingReplicas);
    }

    /** This record with a new leader and ISR; the leader epoch moves only if the leader does. */
    public PartitionState withLeaderAndIsr(int newLeader, List<Integer> newIsr) {
        int newLeaderEpoch = newLeader == leader ? leaderEpoch : leaderEpoch + 1;
        return new PartitionState(
                replicas, newIsr, newLeader, newLeaderEpoch, partitionEpoch + 1, addingReplicas, removingReplicas);
    }

    /** This record with a new assignment (and the reassignment lists), the same leader and ISR. */
    public PartitionState withReplicas(List<Integer> newReplicas, List<Integer> adding, List<Integer> removing) {
        return new PartitionState(newReplicas, isr, leader, leaderEpoch, partitionEpoch + 1, adding, removing);
    }
}
