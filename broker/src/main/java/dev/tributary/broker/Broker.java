package dev.tributary.broker;

import dev.tributary.broker.cluster.BrokerLifecycle;
import dev.tributary.broker.cluster.ClusterTopics;
import dev.tributary.broker.cluster.LocalReplicas;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.fetch.FetchService;
import dev.tributary.broker.group.GroupCoordinator;
import dev.tributary.broker.group.GroupService;
import dev.tributary.broker.network.OpenListenerWarning;
import dev.tributary.broker.network.SocketServer;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.producer.ProducerStateService;
import dev.tributary.broker.protocol.ApiGroups;
import dev.tributary.broker.protocol.KafkaProtocol;
import dev.tributary.broker.replication.EpochLookup;
import dev.tributary.broker.replication.LogEndEpochLookup;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.broker.topic.MetadataStore;
import dev.tributary.broker.topic.TopicManager;
import dev.tributary.log.cleaner.LogCleaner;
import dev.tributary.metadata.quorum.MetadataQuorum;
import dev.tributary.metadata.quorum.QuorumConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker process: storage, background jobs, the services (fetch, consumer groups, producer state),
 * the protocol adapter and the listener, started in that order and closed in reverse. {@link #close()} is the graceful shutdown: stop accepting, finish, flush
 * every log and leave core-log's clean-shutdown marker.
 */
public final class Broker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    /** Where a cluster node keeps its copy of the metadata quorum's log and snapshots, in the data directory. */
    public static final String METADATA_DIR = "__cluster_metadata";

    private final BrokerConfig config;
    private final Scheduler scheduler;
    private final PartitionManager partitions;
    private final BrokerServices services;
    private final SocketServer server;
    private final KafkaProtocol protocol;
    private final FetchService fetches;
    private final InetSocketAddress bound;
    private final List<BrokerPlugin> plugins = new ArrayList<>();
    private final DataDirLock dataDirLock;
    private final LogCleaner cleaner;
    private MetadataQuorum quorum;
    private BrokerLifecycle lifecycle;
    private LocalReplicas replicas;
    private boolean closed;

    private Broker(BrokerConfig config, Clock clock) throws IOException {
        this.config = config;
        List<BrokerPlugin> found = new ArrayList<>();
        ServiceLoader.load(BrokerPlugin.class).forEach(found::add);
        warnAboutUnknownSettings(config, found);
        Files.createDirectories(config.dataDir());
        this.dataDirLock = DataDirLock.acquire(config.dataDir());
        this.scheduler = new Scheduler(config.backgroundThreads());
        TopicManager topics;
        PartitionManager opened = null;
        try {
            opened = new PartitionManager(config.dataDir(), dev.tributary.log.LogConfig.defaults(), clock);
            topics = new TopicManager(config, opened, new MetadataStore(config.dataDir()));
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            scheduler.close();
            dataDirLock.close();
            throw e;
        }
        this.partitions = opened;
        this.services = new BrokerServices(config, clock, scheduler, partitions, topics);
        // the services behind the APIs, started here and handed to the API handlers
        try {
            this.fetches = FetchService.start(partitions, scheduler);
            GroupCoordinator groups = GroupService.start(services);
            ProducerStateService.Started producerState = ProducerStateService.start(services);
            // until the partitions keep leader-epoch caches: every epoch ends at the log end
            EpochLookup epochs =
                    new LogEndEpochLookup(p -> partitions.serving(p).logEndOffset());
            this.protocol = new KafkaProtocol(ApiGroups.all(services, fetches, groups, producerState.ids(), epochs));
        } catch (RuntimeException e) {
            scheduler.close();
            partitions.close();
            dataDirLock.close();
            throw e;
        }
        InetSocketAddress listen = config.listen();
        try {
            this.server = new SocketServer(
                    new SocketServer.Settings(
                            new InetSocketAddress(listen.getHostString(), listen.getPort()),
                            config.networkThreads(),
                            config.ioThreads(),
                            config.socketRequestMaxBytes()),
                    protocol);
        } catch (IOException e) {
            scheduler.close();
            partitions.close();
            dataDirLock.close();
            throw new IOException(
                    "cannot listen on " + listen.getHostString() + ":" + listen.getPort() + ": " + e.getMessage(), e);
        }
        this.bound = server.boundAddress();
        OpenListenerWarning.of("The Kafka listener", bound).ifPresent(log::warn);
        InetSocketAddress adv = config.advertised();
        services.advertisedAddress(
                adv != null
                        ? adv
                        : InetSocketAddress.createUnresolved(
                                advertisableHost(listen.getHostString()), bound.getPort()));
        scheduler.schedulePeriodic("log-retention", config.retentionCheckIntervalMs(), partitions::enforceRetention);
        scheduler.schedulePeriodic("log-flush", config.flushSchedulerIntervalMs(), partitions::flushDue);
        // compaction of cleanup.policy=compact logs (log.cleaner.* keys); its own threads, as a run can take minutes
        this.cleaner = new LogCleaner(config.cleanerConfig(), List.of(partitions.logManager()), clock);
        cleaner.startup();
        // before the listener accepts: a cluster node must not answer a single request as a single node would
        if (config.clusterMode()) {
            try {
                startClusterMembership();
            } catch (IOException | RuntimeException e) {
                close();
                throw new IOException(
                        "could not join the cluster as node " + config.nodeId() + ": " + e.getMessage(), e);
            }
        }
        server.start();
        for (BrokerPlugin plugin : found) {
            try {
                plugin.start(services);
                plugins.add(plugin);
            } catch (Exception e) {
                close();
                throw new IOException(
                        "could not start broker plugin " + plugin.getClass().getName(), e);
            }
        }
        log.info(
                "Tributary broker {} listening on {}:{} with data in {}",
                config.nodeId(),
                bound.getHostString(),
                bound.getPort(),
                config.dataDir().toAbsolutePath());
    }

    /**
     * A cluster node: this node's part of the metadata quorum (its Raft log under {@value #METADATA_DIR} in the
     * data directory), the lifecycle that registers this broker and keeps its session alive, the cluster's
     * topics (created and deleted through the quorum) and the local logs of the partitions this node leads.
     */
    private void startClusterMembership() throws IOException {
        QuorumConfig quorumConfig = QuorumConfig.of(
                config.nodeId(), config.quorumVoters(), config.dataDir().resolve(METADATA_DIR));
        this.quorum = MetadataQuorum.start(quorumConfig);
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
        this.replicas = LocalReplicas.start(quorum, partitions, topics::logConfig);
        log.info(
                "Node {} is a voter of the metadata quorum {} (listening on {})",
                config.nodeId(),
                config.quorumVoters(),
                quorum.address());
    }

    /** Kafka logs a setting nobody reads; so do we, and start anyway (it may be meant for a newer version). */
    private static void warnAboutUnknownSettings(BrokerConfig config, List<BrokerPlugin> plugins) {
        Set<String> pluginKeys = new HashSet<>();
        for (BrokerPlugin p : plugins) {
            pluginKeys.addAll(p.configKeys());
        }
        for (String key : config.unknownKeys(pluginKeys)) {
            log.warn("Broker setting '{}' is not known to Tributary and is ignored", key);
        }
    }

    /** A wildcard bind address cannot be given to clients; Kafka advertises the host name instead. */
    private static String advertisableHost(String listenHost) {
        if (!listenHost.equals("0.0.0.0") && !listenHost.equals("::") && !listenHost.isEmpty()) {
            return listenHost;
        }
        try {
            return java.net.InetAddress.getLocalHost().getCanonicalHostName();
        } catch (java.net.UnknownHostException e) {
            return "127.0.0.1";
        }
    }

    public static Broker start(BrokerConfig config) throws IOException {
        return new Broker(config, Clock.systemUTC());
    }

    /** The bound address (the real port when the config asked for port 0). */
    public InetSocketAddress boundAddress() {
        return bound;
    }

    public BrokerServices services() {
        return services;
    }

    /** The fetch service (parked fetches: {@link FetchService#parked()}). */
    public FetchService fetches() {
        return fetches;
    }

    /** The protocol adapter (its registry lists the served APIs and versions). */
    public KafkaProtocol protocol() {
        return protocol;
    }

    public BrokerConfig config() {
        return config;
    }

    /** The log cleaner (its figures: {@link LogCleaner#lastStats()}, {@link LogCleaner#totals()}). */
    public LogCleaner logCleaner() {
        return cleaner;
    }

    /** Endpoints published by hosted plugins (e.g. {@code registry.url}). */
    public Map<String, String> pluginEndpoints() {
        Map<String, String> m = new LinkedHashMap<>();
        for (BrokerPlugin p : plugins) {
            m.putAll(p.endpoints());
        }
        return m;
    }

    /**
     * Graceful stop: plugins, listener, background jobs, the {@link BrokerServices#beforeLogsClose} jobs
     * (producer-state snapshots), then flush + clean-shutdown marker.
     */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (lifecycle != null) {
            lifecycle.close(); // fences this broker while the quorum still has this node's vote
        }
        if (replicas != null) {
            replicas.close();
        }
        if (quorum != null) {
            try {
                quorum.close();
            } catch (IOException | RuntimeException e) {
                log.warn("The metadata quorum did not stop cleanly", e);
            }
        }
        for (BrokerPlugin plugin : plugins) {
            try {
                plugin.close();
            } catch (Exception e) {
                log.warn("Broker plugin {} failed to close", plugin.getClass().getName(), e);
            }
        }
        server.close();
        scheduler.close();
        cleaner.close();
        for (Runnable job : services.beforeLogsCloseJobs()) {
            try {
                job.run();
            } catch (RuntimeException e) {
                log.warn("A shutdown job failed before the logs closed; the broker still closes them", e);
            }
        }
        partitions.close();
        dataDirLock.close();
        log.info("Tributary broker stopped; logs flushed");
    }
}
