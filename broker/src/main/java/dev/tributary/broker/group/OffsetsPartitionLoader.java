package dev.tributary.broker.group;

import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.partition.RoleListener;
import dev.tributary.broker.replication.AckWaiters;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's coordinator loads and unloads (Kafka's {@code onElection} / {@code onResignation} of the group
 * coordinator): when this node becomes the leader of a {@code __consumer_offsets} partition, its groups are read
 * from the log ({@link GroupLoader}) and a {@link GroupCoordinator} writing to that partition with
 * {@code acks=all} ({@link ReplicatedAppend}) starts serving them; when it becomes a follower, the coordinator is
 * dropped and its waiting JoinGroup and SyncGroup requests are answered {@code NOT_COORDINATOR}.
 *
 * <p>Role changes arrive on the thread that acts on metadata changes. The partition is marked loading (or not
 * owned) there at once, so that requests are refused from that moment; the reading itself runs on this class's
 * one thread, in the order of the role changes, so a slow load never holds up replication. The bookkeeping of
 * which load still counts is {@link CoordinatorPartitions}'.
 */
public final class OffsetsPartitionLoader implements RoleListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetsPartitionLoader.class);

    private final GroupCoordinators coordinators;
    private final PartitionManager partitionManager;
    private final AckWaiters ackWaiters;
    private final GroupConfig config;
    private final Clock clock;
    private final long commitTimeoutMs;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "group-coordinator-loader");
        t.setDaemon(true);
        return t;
    });

    public OffsetsPartitionLoader(
            GroupCoordinators coordinators,
            PartitionManager partitionManager,
            AckWaiters ackWaiters,
            GroupConfig config,
            Clock clock,
            long commitTimeoutMs) {
        this.coordinators = coordinators;
        this.partitionManager = partitionManager;
        this.ackWaiters = ackWaiters;
        this.config = config;
        this.clock = clock;
        this.commitTimeoutMs = commitTimeoutMs;
    }

    @Override
    public void onLeader(PartitionId partition, int leaderEpoch) {
        if (!partition.topic().equals(ConsumerOffsetsRecords.TOPIC)) {
            return;
        }
        GroupCoordinators.Shard old = coordinators.partitions().startLoading(partition.partition(), leaderEpoch);
        close(old, partition);
        submit(() -> load(partition, leaderEpoch));
    }

    @Override
    public void onFollower(PartitionId partition, int leader, int leaderEpoch) {
        if (!partition.topic().equals(ConsumerOffsetsRecords.TOPIC)) {
            return;
        }
        GroupCoordinators.Shard old = coordinators.partitions().unload(partition.partition());
        if (old != null) {
            close(old, partition);
            LOG.info(
                    "No longer the group coordinator of {}: broker {} leads it at epoch {}",
                    partition,
                    leader,
                    leaderEpoch);
        }
    }

    private void submit(Runnable job) {
        try {
            thread.execute(job);
        } catch (RejectedExecutionException e) {
            LOG.debug("Not loading: the broker is stopping");
        }
    }

    private void load(PartitionId id, int leaderEpoch) {
        Partition partition = partitionManager.get(id);
        if (partition == null || !partition.isLeader() || partition.leaderEpoch() != leaderEpoch) {
            return; // a newer role change follows in the queue
        }
        long started = System.nanoTime();
        try {
            GroupLoader.Loaded loaded = GroupLoader.read(partition.log().batches(partition.logStartOffset()));
            ReplicatedAppend append = new ReplicatedAppend(partition, leaderEpoch, ackWaiters, commitTimeoutMs);
            GroupCoordinator coordinator = new GroupCoordinator(config, clock, new ConsumerOffsetsTopic(append, clock));
            coordinator.load(loaded);
            GroupCoordinators.Shard shard = new GroupCoordinators.Shard(
                    coordinator, () -> partitionManager.get(id) == partition && append.stillLeads());
            if (!coordinators.partitions().finishLoading(id.partition(), leaderEpoch, shard)) {
                return; // the leadership changed while reading
            }
            LOG.info(
                    "Group coordinator of {} at epoch {}: loaded {} groups and the offsets of {} groups from {} records"
                            + " in {} ms ({} unreadable)",
                    id,
                    leaderEpoch,
                    loaded.groups().size(),
                    loaded.offsets().size(),
                    loaded.records(),
                    (System.nanoTime() - started) / 1_000_000,
                    loaded.skipped());
        } catch (RuntimeException e) {
            // the partition stays "loading" for this epoch: clients retry, and the next role change starts over
            LOG.error("Could not load the groups of {} at epoch {}", id, leaderEpoch, e);
        }
    }

    private static void close(GroupCoordinators.Shard shard, PartitionId id) {
        if (shard != null) {
            shard.coordinator().unload();
            LOG.debug("Dropped the groups of {}", id);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
