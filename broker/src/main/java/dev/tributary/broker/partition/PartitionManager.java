package dev.tributary.broker.partition;

import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.LogManager;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions this broker hosts, over core-log's {@link LogManager} (one data dir, directories
 * {@code <topic>-<partition>/}). Lookups are lock-free; creation and deletion are serialised by
 * {@code TopicManager}.
 */
public final class PartitionManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionManager.class);

    private final LogManager logs;
    private final ConcurrentMap<PartitionId, Partition> partitions = new ConcurrentHashMap<>();
    private final List<AppendListener> commitListeners = new CopyOnWriteArrayList<>();
    private final List<AppendListener> appendListeners = new CopyOnWriteArrayList<>();
    private final Partition.Listeners fire = new Partition.Listeners() {
        @Override
        public void onCommitted(PartitionId partition, int bytes) {
            for (AppendListener l : commitListeners) {
                l.onAppend(partition, bytes);
            }
        }

        @Override
        public void onAppended(PartitionId partition, int bytes) {
            for (AppendListener l : appendListeners) {
                l.onAppend(partition, bytes);
            }
        }

        @Override
        public void onRole(PartitionId partition, boolean leader, int leaderId, int leaderEpoch) {
            for (RoleListener l : roleListeners) {
                try {
                    if (leader) {
                        l.onLeader(partition, leaderEpoch);
                    } else {
                        l.onFollower(partition, leaderId, leaderEpoch);
                    }
                } catch (RuntimeException e) {
                    log.error("A role listener failed on {}", partition, e);
                }
            }
        }
    };
    private final List<RoleListener> roleListeners = new CopyOnWriteArrayList<>();
    private volatile Function<PartitionId, RuntimeException> notHosted =
            id -> new UnknownTopicOrPartitionException("This server does not host " + id);

    public PartitionManager(Path dataDir, LogConfig defaults, Clock clock) {
        this.logs = LogManager.open(dataDir, defaults, clock);
        for (Log l : logs.all()) {
            PartitionId id = new PartitionId(l.topic(), l.partition());
            partitions.put(id, new Partition(id, l, fire));
        }
    }

    /** The data dir's logs (for the log cleaner). */
    public LogManager logManager() {
        return logs;
    }

    /**
     * Adds a listener told when records become readable by consumers: after every append on a single node, when
     * the high watermark moves on a leader (parked consumer fetches, {@code acks=all} produces).
     */
    public void addCommitListener(AppendListener listener) {
        commitListeners.add(listener);
    }

    /** Adds a listener told when a replica here becomes leader or follower (cluster nodes only). */
    public void addRoleListener(RoleListener listener) {
        roleListeners.add(listener);
    }

    /** Adds a listener told after every append to a log, committed or not (parked replica fetches). */
    public void addAppendListener(AppendListener listener) {
        appendListeners.add(listener);
    }

    /** The partition, or null when it is not hosted here. */
    public Partition get(PartitionId id) {
        return partitions.get(id);
    }

    public Partition get(String topic, int partition) {
        return partitions.get(new PartitionId(topic, partition));
    }

    /**
     * The partition a client request names, or the error to answer when this broker does not host it:
     * {@code UNKNOWN_TOPIC_OR_PARTITION} on a single node, or what {@link #whenNotHosted} says on a cluster
     * node (another broker leads it, also when this node holds a follower replica).
     */
    public Partition serving(PartitionId id) {
        Partition p = partitions.get(id);
        if (p == null) {
            throw notHosted(id);
        }
        p.checkLeader(-1); // a follower's replica answers NOT_LEADER_OR_FOLLOWER
        return p;
    }

    /** The error for a request about a partition this broker does not host. */
    public RuntimeException notHosted(PartitionId id) {
        return notHosted.apply(id);
    }

    /** Replaces the error answered for partitions this broker does not host (a cluster node's rule). */
    public void whenNotHosted(Function<PartitionId, RuntimeException> error) {
        this.notHosted = java.util.Objects.requireNonNull(error);
    }

    public Collection<Partition> all() {
        return new ArrayList<>(partitions.values());
    }

    public Partition getOrCreate(PartitionId id, LogConfig config) {
        return partitions.computeIfAbsent(
                id, k -> new Partition(k, logs.getOrCreate(k.topic(), k.partition(), config), fire));
    }

    public void delete(PartitionId id) {
        Partition p = partitions.remove(id);
        if (p != null) {
            logs.delete(id.topic(), id.partition());
        }
    }

    public void updateConfig(PartitionId id, LogConfig config) {
        Partition p = partitions.get(id);
        if (p != null) {
            p.updateConfig(config);
        }
    }

    /** One retention pass over every partition (log.retention.check.interval.ms). */
    public void enforceRetention() {
        for (Partition p : partitions.values()) {
            try {
                p.enforceRetention();
            } catch (RuntimeException e) {
                log.error("Retention of {} failed", p.id(), e);
            }
        }
    }

    /** Flushes partitions whose flush.messages / flush.ms is due (log.flush.scheduler.interval.ms). */
    public void flushDue() {
        for (Partition p : partitions.values()) {
            try {
                p.flushIfDue();
            } catch (RuntimeException e) {
                log.error("Flush of {} failed", p.id(), e);
            }
        }
    }

    /** Flushes everything and leaves core-log's clean-shutdown marker. */
    @Override
    public void close() throws IOException {
        logs.close();
    }
}
