package dev.tributary.broker.replication;

import java.util.List;
import java.util.Set;

/**
 * A partition's replication state as committed by the metadata quorum.
 *
 * @param leader the leader's node id, {@link #NO_LEADER} when no replica can lead
 * @param leaderEpoch bumped on every leader change; batches carry it, fetches are fenced by it
 * @param replicas the assignment, preferred leader first
 * @param isr the in-sync replicas
 * @param partitionEpoch bumped on every change of this record (leader or ISR); an ISR change proposal names the
 *                       partition epoch it was based on, and the quorum refuses it if that is no longer current
 */
public record LeaderAndIsr(int leader, int leaderEpoch, List<Integer> replicas, Set<Integer> isr, int partitionEpoch) {
    public static final int NO_LEADER = -1;

    public LeaderAndIsr {
        replicas = List.copyOf(replicas);
        isr = Set.copyOf(isr);
    }
}
