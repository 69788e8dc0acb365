package dev.tributary.broker.replication;

import dev.tributary.broker.errors.FencedLeaderEpochException;
import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.errors.UnknownLeaderEpochException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.epoch.EpochEndOffset;

/**
 * The leader's side of OffsetForLeaderEpoch: where a leader epoch ended in this replica's log. A follower that has
 * just learnt of a new leader asks it, then truncates ({@link TruncationPlanner}); a consumer asks after a leader
 * change to check that its position still exists. Called on request-handler threads.
 */
@FunctionalInterface
public interface EpochLookup {
    /** What the request sends in {@code current_leader_epoch} when the sender does not want it checked. */
    int NOT_CHECKED = -1;

    /**
     * @param currentLeaderEpoch the leader epoch the sender believes current, or {@link #NOT_CHECKED}
     * @param leaderEpoch the epoch whose end is wanted
     * @return the largest epoch at or below {@code leaderEpoch} that this log knows and the offset where it ended
     *     (the log end offset for the latest epoch), or {@link EpochEndOffset#UNDEFINED} when the log cannot say
     * @throws UnknownTopicOrPartitionException the partition does not exist
     * @throws NotLeaderOrFollowerException this broker does not lead the partition
     * @throws FencedLeaderEpochException {@code currentLeaderEpoch} is older than this replica's
     * @throws UnknownLeaderEpochException {@code currentLeaderEpoch} is newer than this replica's
     */
    EpochEndOffset endOffsetFor(PartitionId partition, int currentLeaderEpoch, int leaderEpoch);
}
