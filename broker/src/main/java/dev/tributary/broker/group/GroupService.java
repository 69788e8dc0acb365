package dev.tributary.broker.group;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.cluster.OffsetsTopicLocator;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.metadata.image.TopicImage;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the group coordination of a broker and schedules the coordinators' timeouts.
 *
 * <ul>
 *   <li>A single node makes sure its own {@code __consumer_offsets} exists (one partition, compacted), loads what
 *       it holds, and coordinates every group.
 *   <li>A cluster node coordinates the groups of the {@code __consumer_offsets} partitions it leads: the topic is a
 *       cluster topic, created through the metadata quorum at the first FindCoordinator
 *       ({@link OffsetsTopicLocator}), and the {@link OffsetsPartitionLoader} loads and drops a partition's groups
 *       as this node gains and loses its leadership. Nothing is loaded here: the role changes come once the node
 *       has joined the cluster.
 * </ul>
 */
public final class GroupService {

    private static final Logger LOG = LoggerFactory.getLogger(GroupService.class);

    /** How often session, rebalance and join-delay timeouts are checked; their resolution. */
    static final long POLL_INTERVAL_MS = 100;

    /** Settings of the offsets topic, as Kafka's {@code offsets.topic.*} defaults. */
    static final Map<String, String> TOPIC_CONFIGS = Map.of(
            "cleanup.policy", "compact",
            "segment.bytes", "104857600");

    /**
     * What the group APIs are served by.
     *
     * @param writers where the APIs that may write run (see {@code GroupApis})
     */
    public record Started(GroupCoordinators coordinators, CoordinatorLocator locator, Executor writers) {}

    /**
     * Threads of a cluster node's group APIs that may write: a write holds its thread until the ISR has it (a few
     * milliseconds while it is healthy) and writes to one partition go one at a time, so a few threads suffice.
     */
    static final int CLUSTER_WRITER_THREADS = 4;

    private GroupService() {}

    public static Started start(BrokerServices services) {
        BrokerConfig config = services.config();
        Started started = config.clusterMode() ? startClusterNode(services) : startSingleNode(services);
        GroupCoordinators coordinators = started.coordinators();
        services.scheduler().schedulePeriodic("group-coordinator-timeouts", POLL_INTERVAL_MS, () -> {
            for (GroupCoordinator c : coordinators.served()) {
                c.poll();
            }
        });
        long cleanupInterval =
                config.getMs(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, 600_000L, 1, Long.MAX_VALUE);
        services.scheduler().schedulePeriodic("group-offsets-of-deleted-topics", cleanupInterval, () -> {
            for (GroupCoordinator c : coordinators.served()) {
                c.offsets().removeOffsetsOfDeletedTopics(services::topicExists);
            }
        });
        return started;
    }

    private static Started startSingleNode(BrokerServices services) {
        if (services.topics().get(ConsumerOffsetsRecords.TOPIC).isEmpty()) {
            services.topics().create(ConsumerOffsetsRecords.TOPIC, 1, TOPIC_CONFIGS, false);
        }
        Partition partition = services.partitions().get(new PartitionId(ConsumerOffsetsRecords.TOPIC, 0));
        if (partition == null) {
            throw new IllegalStateException(ConsumerOffsetsRecords.TOPIC + "-0 is not hosted by this broker");
        }
        ConsumerOffsetsTopic store = new ConsumerOffsetsTopic(partition::append, services.clock());
        GroupCoordinator coordinator =
                new GroupCoordinator(GroupConfig.from(services.config()), services.clock(), store);
        long started = System.nanoTime();
        GroupLoader.Loaded loaded = GroupLoader.read(partition.log().batches(partition.logStartOffset()));
        coordinator.load(loaded);
        LOG.info(
                "Loaded {} groups and the offsets of {} groups from {} records of {} in {} ms ({} unreadable)",
                loaded.groups().size(),
                loaded.offsets().size(),
                loaded.records(),
                ConsumerOffsetsRecords.TOPIC,
                (System.nanoTime() - started) / 1_000_000,
                loaded.skipped());
        int nodeId = services.nodeId();
        CoordinatorLocator self = groupId -> {
            InetSocketAddress address = services.advertisedAddress();
            return new CoordinatorLocator.Located(nodeId, address.getHostString(), address.getPort());
        };
        return new Started(GroupCoordinators.singleNode(coordinator), self, Runnable::run);
    }

    private static Started startClusterNode(BrokerServices services) {
        BrokerConfig config = services.config();
        int configuredPartitions = config.offsetsTopicNumPartitions();
        // the topic's own partition count once it exists (it may have been created with another setting)
        GroupCoordinators coordinators = new GroupCoordinators(() -> {
            ClusterTopics cluster = services.clusterTopics();
            TopicImage t = cluster == null ? null : cluster.topic(ConsumerOffsetsRecords.TOPIC);
            return t == null || t.partitionCount() == 0 ? configuredPartitions : t.partitionCount();
        });
        OffsetsPartitionLoader loader = new OffsetsPartitionLoader(
                coordinators,
                services.partitions(),
                services.ackWaiters(),
                GroupConfig.from(config),
                services.clock(),
                config.offsetsCommitTimeoutMs());
        services.partitions().addRoleListener(loader);
        ExecutorService writers = Executors.newFixedThreadPool(CLUSTER_WRITER_THREADS, new ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "group-request-writer-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        });
        services.beforeLogsClose(() -> {
            writers.shutdownNow();
            loader.close();
        });
        CoordinatorLocator locator = new OffsetsTopicLocator(
                services::clusterTopics,
                services::clusterView,
                services.scheduler(),
                configuredPartitions,
                config.offsetsTopicReplicationFactor(),
                TOPIC_CONFIGS);
        return new Started(coordinators, locator, writers);
    }
}
