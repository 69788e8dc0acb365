package dev.tributary.broker.replication;

import java.util.Set;

/**
 * An ISR change a leader asks the metadata quorum to commit (Kafka's AlterPartition). It does not count until
 * the quorum commits it: a leader cut off from the quorum therefore cannot shrink the ISR to itself and then
 * acknowledge {@code acks=all} writes alone.
 *
 * @param leaderEpoch and {@code partitionEpoch}: what the proposal was based on; the quorum refuses it when
 *                    either is no longer current (the leader was replaced, or another change won)
 */
public record IsrProposal(int leader, int leaderEpoch, int partitionEpoch, Set<Integer> newIsr) {
    public IsrProposal {
        newIsr = Set.copyOf(newIsr);
    }
}
