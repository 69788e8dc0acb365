package dev.tributary.broker.group;

import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * The group coordinators of this node, one per {@code __consumer_offsets} partition it leads, and the routing of a
 * group's requests to the one that owns the group ({@link GroupPartitioner}). A single node has one partition,
 * always served. On a cluster node the {@link OffsetsPartitionLoader} loads a partition's coordinator when this
 * node becomes the partition's leader and drops it when it stops leading; requests for a group of another
 * partition are refused with {@code NOT_COORDINATOR}, and with {@code COORDINATOR_LOAD_IN_PROGRESS} while its
 * partition is loading, as Kafka does.
 */
public final class GroupCoordinators {

    /**
     * The coordinator of one partition; {@code stillLeads} is false as soon as this node lost the leadership it
     * was loaded under, before the role change has been acted on.
     */
    public record Shard(GroupCoordinator coordinator, BooleanSupplier stillLeads) {}

    /** Where a group's request goes. */
    public sealed interface Route {}

    /** To this coordinator. */
    public record Served(GroupCoordinator coordinator) implements Route {}

    /** Nowhere on this node: answer with {@code error}. */
    public record Refused(GroupError error) implements Route {}

    private final CoordinatorPartitions<Shard> partitions = new CoordinatorPartitions<>();
    private final IntSupplier partitionCount;

    /** @param partitionCount how many partitions {@code __consumer_offsets} has now */
    public GroupCoordinators(IntSupplier partitionCount) {
        this.partitionCount = partitionCount;
    }

    /** A single node's one coordinator, serving every group. */
    public static GroupCoordinators singleNode(GroupCoordinator coordinator) {
        GroupCoordinators c = new GroupCoordinators(() -> 1);
        c.partitions.startLoading(0, 0);
        c.partitions.finishLoading(0, 0, new Shard(coordinator, () -> true));
        return c;
    }

    /** The load and unload bookkeeping, for the loader. */
    CoordinatorPartitions<Shard> partitions() {
        return partitions;
    }

    /** The partition of {@code __consumer_offsets} that holds {@code groupId}. */
    public int partitionFor(String groupId) {
        return GroupPartitioner.partitionFor(groupId, partitionCount.getAsInt());
    }

    /** Where a request of {@code groupId} goes. */
    public Route route(String groupId) {
        CoordinatorPartitions.Lookup<Shard> l = partitions.lookup(partitionFor(groupId));
        if (l instanceof CoordinatorPartitions.Served<Shard> s) {
            return s.value().stillLeads().getAsBoolean()
                    ? new Served(s.value().coordinator())
                    : new Refused(GroupError.NOT_COORDINATOR);
        }
        return l instanceof CoordinatorPartitions.Loading<Shard>
                ? new Refused(GroupError.COORDINATOR_LOAD_IN_PROGRESS)
                : new Refused(GroupError.NOT_COORDINATOR);
    }

    /**
     * Every coordinator serving now (for ListGroups and the periodic jobs); not those whose leadership is already
     * lost, e.g. of a partition moved to other brokers, whose log this node deleted without following it.
     */
    public List<GroupCoordinator> served() {
        return partitions.served().stream()
                .filter(s -> s.stillLeads().getAsBoolean())
                .map(Shard::coordinator)
                .toList();
    }

    /** True while a partition this node leads is loading. */
    public boolean anyLoading() {
        return partitions.anyLoading();
    }
}
