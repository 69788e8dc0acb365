package dev.tributary.broker.group;

/**
 * Which partition of {@code __consumer_offsets} holds a group: Kafka's rule, so that the group of a client
 * moving between Kafka and Tributary clusters of the same partition count lands on the same partition number.
 * The leader of that partition is the group's coordinator.
 */
public final class GroupPartitioner {

    private GroupPartitioner() {}

    /**
     * {@code abs(groupId.hashCode()) % partitionCount}, where abs maps {@link Integer#MIN_VALUE} to 0 as Kafka's
     * {@code Utils.abs} does ({@code Math.abs} would leave it negative). A null group id counts as "".
     *
     * @throws IllegalArgumentException if {@code partitionCount} is not positive
     */
    public static int partitionFor(String groupId, int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("partition count must be positive, got " + partitionCount);
        }
        int hash = groupId == null ? 0 : groupId.hashCode();
        int abs = hash == Integer.MIN_VALUE ? 0 : Math.abs(hash);
        return abs % partitionCount;
    }
}
