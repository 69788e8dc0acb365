package dev.tributary.broker.cluster;

import dev.tributary.broker.cluster.ReplicaPlan.Action;
import dev.tributary.broker.cluster.ReplicaPlan.ConfigsChanged;
import dev.tributary.broker.cluster.ReplicaPlan.Follow;
import dev.tributary.broker.cluster.ReplicaPlan.IsrChanged;
import dev.tributary.broker.cluster.ReplicaPlan.Lead;
import dev.tributary.broker.cluster.ReplicaPlan.Stop;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.partition.PartitionMetadataFile;
import dev.tributary.log.LogConfig;
import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.quorum.MetadataListener;
import dev.tributary.metadata.quorum.MetadataQuorum;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's local replicas, kept in line with the metadata image: opens the partitions this node leads
 * or follows and gives each its role ({@link ClusterReplication}), and deletes those of deleted topics
 * ({@link ReplicaPlan} decides which). Changes are acted on one at a time, in
 * log order, on one thread of its own ("tributary-replicas"), never on the quorum's apply thread. Each change is
 * compared with the image last acted on, so a burst of changes is handled as one and none is lost.
 */
public final class LocalReplicas implements MetadataListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LocalReplicas.class);

    private final MetadataQuorum quorum;
    private final int self;
    private final PartitionManager partitions;
    private final Function<Map<String, String>, LogConfig> logConfig;
    private final ClusterReplication replication;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tributary-replicas");
        t.setDaemon(true);
        return t;
    });
    /** The image last acted on; read and written on {@link #thread} only. */
    private MetadataImage applied = MetadataImage.EMPTY;
    /** Whether stale replicas found on disk at start have been removed; on {@link #thread} only. */
    private boolean reconciled;

    private final UUID incarnationId;

    private volatile long appliedOffset;

    private LocalReplicas(
            MetadataQuorum quorum,
            PartitionManager partitions,
            Function<Map<String, String>, LogConfig> logConfig,
            ClusterReplication replication,
            UUID incarnationId) {
        this.incarnationId = incarnationId;
        this.quorum = quorum;
        this.self = quorum.nodeId();
        this.partitions = partitions;
        this.logConfig = logConfig;
        this.replication = replication;
    }

    /**
     * Starts acting on {@code quorum}'s changes, beginning with its current image.
     *
     * @param logConfig the log config of a topic from its configs (the broker's defaults with the overrides)
     */
    public static LocalReplicas start(
            MetadataQuorum quorum,
            PartitionManager partitions,
            Function<Map<String, String>, LogConfig> logConfig,
            ClusterReplication replication,
            UUID incarnationId) {
        LocalReplicas replicas = new LocalReplicas(quorum, partitions, logConfig, replication, incarnationId);
        quorum.addListener(replicas); // first, so that no change after the image read below is missed
        MetadataImage now = quorum.image();
        replicas.thread.execute(() -> replicas.catchUp(now));
        return replicas;
    }

    @Override
    public void onChange(MetadataImage previous, MetadataImage current) {
        try {
            thread.execute(() -> catchUp(current));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /**
     * Waits (at most {@code atMostMs}) until this node has acted on the quorum's image as it is now, e.g. on its
     * own fencing before a controlled shutdown, so that its leaderships have moved away.
     */
    public boolean awaitCaughtUp(long atMostMs) {
        long target = quorum.image().offset();
        long deadline = System.nanoTime() + atMostMs * 1_000_000;
        while (appliedOffset < target) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * This node lost its session (see {@link BrokerLifecycle}): every partition it leads stops taking writes and
     * answers as a partition without a leader, until {@link #resync()}.
     */
    public void selfFence() {
        try {
            thread.execute(() -> {
                for (Partition p : partitions.all()) {
                    if (p.isLeader() && !ClusterTopics.isLocalOnly(p.id().topic())) {
                        replication.selfFence(p);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Acts again on the whole image as it is now (after a self-fencing): leads and follows what it says. */
    public void resync() {
        try {
            thread.execute(() -> {
                applied = MetadataImage.EMPTY;
                catchUp(quorum.image());
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** The metadata offset of the image this node's logs last caught up with. */
    public long appliedOffset() {
        return appliedOffset;
    }

    private void catchUp(MetadataImage target) {
        if (target.offset() < applied.offset()) {
            return; // an older image queued behind a newer one
        }
        List<Action> actions = ReplicaPlan.between(applied, target, self);
        for (Action action : actions) {
            try {
                if (action instanceof Lead lead) {
                    Partition p = open(lead.partition(), lead.topicId(), lead.configs());
                    replication.lead(p, lead);
                } else if (action instanceof Follow follow) {
                    Partition p = open(follow.partition(), follow.topicId(), follow.configs());
                    replication.follow(p, follow);
                } else if (action instanceof IsrChanged change) {
                    Partition p = partitions.get(change.partition());
                    if (p != null) {
                        replication.isrChanged(p, change);
                    }
                } else if (action instanceof ConfigsChanged changed) {
                    Partition p = partitions.get(changed.partition());
                    if (p != null) {
                        partitions.updateConfig(changed.partition(), logConfig.apply(changed.configs()));
                        replication.configsChanged(p, changed.configs());
                    }
                } else if (action instanceof Stop stop) {
                    replication.stop(stop.partition());
                    partitions.delete(stop.partition());
                    log.info("Node {} stopped serving {} and deleted its data", self, stop.partition());
                }
            } catch (RuntimeException e) {
                log.error("Node {} could not act on {} (metadata offset {})", self, action, target.offset(), e);
            }
        }
        applied = target;
        appliedOffset = target.offset();
        if (!reconciled && isRegisteredIn(target)) {
            removeStaleReplicas(target);
            reconciled = true;
        }
    }

    /**
     * The replica's log, opened or created, and known to hold data of topic {@code topicId}: a directory left by an
     * earlier topic of the same name (deleted and created again while this node was down) is emptied first.
     */
    private Partition open(PartitionId id, UUID topicId, Map<String, String> configs) {
        Partition existing = partitions.get(id);
        Optional<UUID> recorded = existing == null ? Optional.empty() : recordedTopicId(existing);
        if (recorded.isPresent() && !recorded.get().equals(topicId)) {
            log.warn(
                    "Node {} holds data of {} from an earlier topic of that name (topic id {}, now {}): deleting it",
                    self,
                    id,
                    recorded.get(),
                    topicId);
            replication.stop(id);
            partitions.delete(id);
            recorded = Optional.empty();
        }
        Partition p = partitions.getOrCreate(id, logConfig.apply(configs));
        if (recorded.isEmpty()) {
            PartitionMetadataFile.write(p.log().dir(), topicId);
        }
        return p;
    }

    private Optional<UUID> recordedTopicId(Partition p) {
        try {
            return PartitionMetadataFile.read(p.log().dir());
        } catch (RuntimeException e) {
            log.warn("Node {}: {}; treating {} as holding no known topic's data", self, e.getMessage(), p.id());
            return Optional.of(new UUID(0, 0));
        }
    }

    /** True once {@code image} has this process's own registration: it has applied everything up to its start. */
    private boolean isRegisteredIn(MetadataImage image) {
        BrokerRegistration me = image.broker(self);
        return me != null && me.incarnationId().equals(incarnationId);
    }

    /**
     * Deletes the replicas on disk that the metadata no longer gives this node: their topic was deleted (or created
     * again under another id) or the partition moved away while this node was down. Runs once, after this node's
     * image has caught up with its own registration, so an image still being replayed deletes nothing.
     */
    private void removeStaleReplicas(MetadataImage image) {
        Map<PartitionId, Optional<UUID>> onDisk = new java.util.HashMap<>();
        for (Partition p : List.copyOf(partitions.all())) {
            if (!ClusterTopics.isLocalOnly(p.id().topic())) {
                onDisk.put(p.id(), recordedTopicId(p));
            }
        }
        for (PartitionId id : ReplicaPlan.staleReplicas(image, onDisk, self)) {
            log.info("Node {} deletes its replica of {}: the metadata no longer gives it this node", self, id);
            replication.stop(id);
            partitions.delete(id);
        }
    }

    @Override
    public void close() {
        quorum.removeListener(this);
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
