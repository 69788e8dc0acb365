package dev.tributary.broker;

import dev.tributary.broker.cluster.BrokerLifecycle;
import dev.tributary.broker.cluster.ClusterReplication;
import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.cluster.LocalReplicas;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.producer.ProducerIdManager;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.broker.topic.TopicManager;
import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.IdRange;
import dev.tributary.metadata.command.MetadataCommand.AllocateProducerIds;
import dev.tributary.metadata.quorum.MetadataQuorum;
import dev.tributary.metadata.quorum.QuorumConfig;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What makes a broker a cluster node: its part of the metadata quorum (its Raft log under
 * {@value Broker#METADATA_DIR} in the data directory), the lifecycle that registers it and keeps its session
 * alive, the cluster's topics (created and deleted through the quorum), its replicas with their leader and
 * follower roles, and producer ids from quorum-allocated blocks. Started before the listener accepts, so a
 * cluster node never answers a request as a single node would.
 */
final class ClusterNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterNode.class);
    private static final Duration ID_BLOCK_TIMEOUT = Duration.ofSeconds(15);

    private final MetadataQuorum quorum;
    private BrokerLifecycle lifecycle;
    private ClusterReplication replication;
    private LocalReplicas replicas;

    private ClusterNode(MetadataQuorum quorum) {
        this.quorum = quorum;
    }

    static ClusterNode start(
            BrokerConfig config, BrokerServices services, Scheduler scheduler, ProducerIdManager producerIds)
            throws IOException {
        QuorumConfig quorumConfig = QuorumConfig.of(
                config.nodeId(), config.quorumVoters(), config.dataDir().resolve(Broker.METADATA_DIR));
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
        // replicas found on disk serve nobody until the metadata says whether this node leads or follows them
        for (Partition p : partitions.all()) {
            if (!ClusterTopics.isLocalOnly(p.id().topic())) {
                p.startUnassigned(-1);
            }
        }
        this.lifecycle = BrokerLifecycle.start(
                quorum,
                services.advertisedAddress(),
                config.brokerHeartbeatIntervalMs(),
                config.brokerSessionTimeoutMs());
        services.clusterView(lifecycle::view);
        TopicManager topics = services.topics();
        ClusterTopics clusterTopics =
                new ClusterTopics(quorum, config.defaultReplicationFactor(), config.numPartitions(), topics::logConfig);
        partitions.whenNotHosted(clusterTopics::notHosted);
        services.clusterTopics(clusterTopics);
        this.replication = new ClusterReplication(
                quorum, partitions, services.clock(), config.replicaLagTimeMaxMs(), config.minInsyncReplicas());
        scheduler.schedulePeriodic("isr-shrink", replication.shrinkCheckIntervalMs(), replication::shrinkLaggingIsrs);
        this.replicas = LocalReplicas.start(quorum, partitions, topics::logConfig, replication);
        int nodeId = config.nodeId();
        producerIds.useBlocksFrom(() -> {
            CommandResult r = quorum.client().submitAndWait(new AllocateProducerIds(nodeId, 0), ID_BLOCK_TIMEOUT);
            if (r instanceof IdRange range) {
                return new ProducerIdManager.IdBlock(range.firstId(), range.count());
            }
            throw new IOException("the metadata quorum did not allocate a producer id block: " + r);
        });
        log.info(
                "Node {} is a voter of the metadata quorum {} (listening on {})",
                nodeId,
                config.quorumVoters(),
                quorum.address());
    }

    /** Fences this node (its leaderships move away), stops its replicas' roles, then leaves the quorum. */
    @Override
    public void close() {
        if (lifecycle != null) {
            lifecycle.close(); // fences this broker while the quorum still has this node's vote
        }
        if (replicas != null) {
            replicas.close();
        }
        if (replication != null) {
            replication.close();
        }
        try {
            quorum.close();
        } catch (IOException | RuntimeException e) {
            log.warn("The metadata quorum did not stop cleanly", e);
        }
    }
}
