package dev.tributary.broker.partition;

/**
 * Told when a cluster node's replica of a partition changes role, after the change and outside the partition's
 * lock, on the thread that acts on metadata changes (e.g. a group coordinator loads or drops the groups of an
 * offsets partition).
 */
public interface RoleListener {
    /** This node leads {@code partition} from now on, under {@code leaderEpoch}. */
    default void onLeader(PartitionId partition, int leaderEpoch) {}

    /** This node follows {@code partition} from now on ({@code leader} -1: nobody leads it). */
    default void onFollower(PartitionId partition, int leader, int leaderEpoch) {}
}
