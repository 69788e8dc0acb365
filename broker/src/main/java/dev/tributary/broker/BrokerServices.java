package dev.tributary.broker;

import dev.tributary.broker.append.ProduceValidator;
import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.cluster.ClusterView;
import dev.tributary.broker.cluster.PartitionMoves;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.replication.AckWaiters;
import dev.tributary.broker.replication.ReplicationThrottle;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.broker.topic.TopicManager;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The broker's shared services, handed to every {@code ApiGroup} and {@link BrokerPlugin}. Built once
 * by {@link Broker}, which then starts the services built on them (fetch, groups, producer state); the
 * mutable slots are the produce validator, which the producer-state service installs when it starts, the advertised address, known once the listener is bound, and the jobs to run
 * before the logs close at shutdown.
 */
public final class BrokerServices {
    private final BrokerConfig config;
    private final Clock clock;
    private final Scheduler scheduler;
    private final PartitionManager partitions;
    private final TopicManager topics;
    private volatile ProduceValidator produceValidator = ProduceValidator.NO_OP;
    private volatile InetSocketAddress advertised;
    private volatile Supplier<ClusterView> clusterView;
    private volatile ClusterTopics clusterTopics;
    private volatile PartitionMoves partitionMoves;
    private final List<Runnable> beforeLogsClose = new CopyOnWriteArrayList<>();
    private final AckWaiters ackWaiters;
    private final ReplicationThrottle replicationThrottle = new ReplicationThrottle();

    BrokerServices(
            BrokerConfig config, Clock clock, Scheduler scheduler, PartitionManager partitions, TopicManager topics) {
        this.config = config;
        this.clock = clock;
        this.scheduler = scheduler;
        this.partitions = partitions;
        this.topics = topics;
        this.ackWaiters = new AckWaiters(scheduler);
        partitions.addCommitListener(ackWaiters);
    }

    /** This node's replication throttle (rates from its broker configs, replicas from topic configs). */
    public ReplicationThrottle replicationThrottle() {
        return replicationThrottle;
    }

    /**
     * The node's broker settings as a map: the static ones, then the dynamic ones changed while it runs
     * (for the settings that may be both, such as the replication throttle's rates).
     */
    public java.util.Map<String, String> brokerConfigValues() {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String key : java.util.List.of(ReplicationThrottle.LEADER_RATE, ReplicationThrottle.FOLLOWER_RATE)) {
            if (config.isSet(key)) {
                m.put(key, config.get(key));
            }
        }
        m.putAll(topics.brokerDynamicConfigs());
        return m;
    }

    /** The {@code acks=all} produces waiting for their followers. */
    public AckWaiters ackWaiters() {
        return ackWaiters;
    }

    public BrokerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** Hosted partitions (core-log logs behind an append lock). */
    public PartitionManager partitions() {
        return partitions;
    }

    /** Topics, their configs, and dynamic broker configs. */
    public TopicManager topics() {
        return topics;
    }

    public int nodeId() {
        return config.nodeId();
    }

    public String clusterId() {
        return topics.clusterId();
    }

    /** The host and port Metadata advertises: advertised.listeners, else the bound listener. */
    public InetSocketAddress advertisedAddress() {
        return advertised;
    }

    void advertisedAddress(InetSocketAddress address) {
        this.advertised = address;
    }

    /**
     * The brokers and the controller Metadata and DescribeCluster report: this broker alone, or, on a cluster
     * node, the live brokers of the cluster metadata and the quorum leader.
     */
    public ClusterView clusterView() {
        Supplier<ClusterView> cluster = clusterView;
        return cluster != null ? cluster.get() : ClusterView.singleNode(nodeId(), advertised);
    }

    void clusterView(Supplier<ClusterView> view) {
        this.clusterView = view;
    }

    /**
     * The topics of the cluster (created, deleted and looked up through the metadata quorum) on a cluster node;
     * null on a single node, whose topics are all {@link #topics()}.
     */
    public ClusterTopics clusterTopics() {
        return clusterTopics;
    }

    /** Reassignments and leader elections; null on a single node. */
    public PartitionMoves partitionMoves() {
        return partitionMoves;
    }

    void partitionMoves(PartitionMoves moves) {
        this.partitionMoves = moves;
    }

    void clusterTopics(ClusterTopics topics) {
        this.clusterTopics = topics;
    }

    /** True if the topic exists: a topic of this node, or on a cluster node a topic of the cluster. */
    public boolean topicExists(String name) {
        ClusterTopics cluster = clusterTopics;
        return topics.get(name).isPresent() || (cluster != null && cluster.topic(name) != null);
    }

    public ProduceValidator produceValidator() {
        return produceValidator;
    }

    /** Replaces the no-op validator; call before the listener starts (from a service's start). */
    public void produceValidator(ProduceValidator validator) {
        this.produceValidator = Objects.requireNonNull(validator);
    }

    /**
     * Registers a job that {@link Broker#close()} runs once the listener and the scheduler have stopped
     * (no request or background job writes any more) and before the logs are flushed and closed, e.g. a
     * last producer-state snapshot at the log end offset. Jobs run in registration order; one that fails
     * is logged and the shutdown goes on.
     */
    public void beforeLogsClose(Runnable job) {
        beforeLogsClose.add(Objects.requireNonNull(job));
    }

    List<Runnable> beforeLogsCloseJobs() {
        return List.copyOf(beforeLogsClose);
    }
}
