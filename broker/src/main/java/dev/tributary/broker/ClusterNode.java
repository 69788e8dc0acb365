package dev.tributary.broker;

import dev.tributary.broker.cluster.BrokerLifecycle;
import dev.tributary.broker.cluster.ClusterReplication;
import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.cluster.LocalReplicas;
import dev.tributary.broker.cluster.PartitionMoves;
import dev.tributary.broker.cluster.SchemaIds;
import dev.tributary.broker.cluster.SchemasTopic;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.producer.ProducerIdManager;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.broker.topic.TopicManager;
import dev.tributary.log.HighWatermarkCheckpoint;
import dev.tributary.log.LogId;
import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.IdRange;
import dev.tributary.metadata.command.MetadataCommand.AllocateProducerIds;
import dev.tributary.metadata.quorum.MetadataQuorum;
import dev.tributary.metadata.quorum.QuorumConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes a broker a cluster node: its part of the metadata quorum (its Raft log under
 * {@value Broker#METADATA_DIR} in the data directory; a voter's, or for a node.id not among the voters an
 * observer's copy that the voters keep up to date), the lifecycle that registers it and keeps its session
 * alive, the cluster's topics (created and deleted through the quorum), its replicas with their leader and
 * follower roles, producer ids from quorum-allocated blocks, and the hosted registry's schema ids. Started
 * before the listener accepts, so a cluster node never answers a request as a single node would.
 */
final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    private static final Duration ID_BLOCK_TIMEOUT = Duration.ofSeconds(15);

    private final MetadataQuorum quorum;
    private HighWatermarkCheckpoint highWatermarks;
    private PartitionManager partitions;
    private BrokerLifecycle lifecycle;
    private ClusterReplication replication;
    private LocalReplicas replicas;

    private ClusterNode(MetadataQuorum quorum) {
        this.quorum = quorum;
    }

    static ClusterNode start(
            BrokerConfig config, BrokerServices services, Scheduler scheduler, ProducerIdManager producerIds)
            throws IOException {
        Path metadataDir = config.dataDir().resolve(Broker.METADATA_DIR);
        QuorumConfig quorumConfig = config.isQuorumVoter()
                ? QuorumConfig.of(config.nodeId(), config.quorumVoters(), metadataDir)
                : QuorumConfig.observer(
                        config.nodeId(), config.quorumVoters(), metadataDir, config.quorumObserverAddress());
        ClusterNode node = new ClusterNode(MetadataQuorum.start(quorumConfig));
        try {
            node.join(config, services, scheduler, producerIds);
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
        return node;
    }

    private void join(
            BrokerConfig config, BrokerServices services, Scheduler scheduler, ProducerIdManager producerIds) {
        PartitionManager partitions = services.partitions();
        // replicas found on disk serve nobody until the metadata says whether this node leads or follows them;
        // their high watermarks come from the checkpoint, never from the log end
        this.highWatermarks = HighWatermarkCheckpoint.inDirectory(config.dataDir());
        Map<LogId, Long> checkpointed = readHighWatermarks();
        for (Partition p : partitions.all()) {
            if (!ClusterTopics.isLocalOnly(p.id().topic())) {
                p.startUnassigned(checkpointed.getOrDefault(new LogId(p.id().topic(), p.id().partition()), -1L));
            }
        }
        this.partitions = partitions;
        scheduler.schedulePeriodic(
                "high-watermark-checkpoint", config.replicaHighWatermarkCheckpointIntervalMs(), this::checkpoint);
        this.lifecycle = BrokerLifecycle.start(
                quorum,
                services.advertisedAddress(),
                config.brokerHeartbeatIntervalMs(),
                config.brokerSessionTimeoutMs());
        services.clusterView(lifecycle::view);
        TopicManager topics = services.topics();
        ClusterTopics clusterTopics = new ClusterTopics(
                quorum,
                config.defaultReplicationFactor(),
                config.numPartitions(),
                topics::logConfig,
                SchemasTopic.replicationFactor(config));
        partitions.whenNotHosted(clusterTopics::notHosted);
        services.clusterTopics(clusterTopics);
        services.schemaIds(new SchemaIds(quorum));
        PartitionMoves moves = new PartitionMoves(quorum);
        services.partitionMoves(moves);
        if (config.autoLeaderRebalanceEnable()) {
            scheduler.schedulePeriodic("preferred-leader-rebalance", config.leaderImbalanceCheckIntervalMs(), () -> {
                if (quorum.isLeader()) { // one node does it for the cluster
                    int moved = moves.rebalanceLeaders();
                    if (moved > 0) {
                        log.info("Moved the leadership of {} partitions back to their preferred replicas", moved);
                    }
                }
            });
        }
        this.replication = new ClusterReplication(
                quorum,
                partitions,
                services.clock(),
                config.replicaLagTimeMaxMs(),
                config.minInsyncReplicas(),
                services.replicationThrottle());
        scheduler.schedulePeriodic("isr-shrink", replication.shrinkCheckIntervalMs(), replication::shrinkLaggingIsrs);
        this.replicas =
                LocalReplicas.start(quorum, partitions, topics::logConfig, replication, lifecycle.incarnationId());
        LocalReplicas acting = replicas;
        lifecycle.sessionListener(new BrokerLifecycle.SessionListener() {
            @Override
            public void sessionLost() {
                acting.selfFence();
            }

            @Override
            public void sessionRegained() {
                acting.resync();
            }
        });
        int nodeId = config.nodeId();
        producerIds.useBlocksFrom(() -> {
            CommandResult r = quorum.client().submitAndWait(new AllocateProducerIds(nodeId, 0), ID_BLOCK_TIMEOUT);
            if (r instanceof IdRange range) {
                return new ProducerIdManager.IdBlock(range.firstId(), range.count());
            }
            throw new IOException("the metadata quorum did not allocate a producer id block: " + r);
        });
        log.info(
                "Node {} is {} of the metadata quorum {} (listening on {})",
                nodeId,
                quorum.isObserver() ? "a broker-only node, an observer" : "a voter",
                config.quorumVoters(),
                quorum.address());
    }

    private Map<LogId, Long> readHighWatermarks() {
        try {
            return highWatermarks.read();
        } catch (RuntimeException e) {
            log.warn(
                    "Ignoring the high-watermark checkpoint {} ({}); replicas start from their log start offsets",
                    highWatermarks.file(),
                    e.getMessage());
            return Map.of();
        }
    }

    /** Writes every replica's high watermark (Kafka's {@code replication-offset-checkpoint}). */
    private void checkpoint() {
        Map<LogId, Long> now = new TreeMap<>();
        for (Partition p : partitions.all()) {
            if (!ClusterTopics.isLocalOnly(p.id().topic())) {
                now.put(new LogId(p.id().topic(), p.id().partition()), p.highWatermark());
            }
        }
        try {
            highWatermarks.write(now);
        } catch (RuntimeException e) {
            log.warn("Could not write the high-watermark checkpoint {}", highWatermarks.file(), e);
        }
    }

    /** Fences this node (its leaderships move away), stops its replicas' roles, then leaves the quorum. */
    @Override
    public void close() {
        if (lifecycle != null) {
            lifecycle.close(); // fences this broker while the quorum still has this node's vote
        }
        if (replicas != null) {
            // controlled shutdown: act on the fencing, so that clients asking here are sent to the new leaders
            if (replicas.awaitCaughtUp(3000)) {
                log.info("Node {} handed its leaderships over before stopping", quorum.nodeId());
            }
            replicas.close();
        }
        if (replication != null) {
            replication.close();
        }
        if (partitions != null) {
            checkpoint();
        }
        try {
            quorum.close();
        } catch (IOException | RuntimeException e) {
            log.warn("The metadata quorum did not stop cleanly", e);
        }
    }
}
