package dev.tributary.broker;

import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.fetch.FetchService;
import dev.tributary.broker.group.GroupService;
import dev.tributary.broker.network.OpenListenerWarning;
import dev.tributary.broker.network.SocketServer;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.producer.ProducerIdManager;
import dev.tributary.broker.producer.ProducerStateService;
import dev.tributary.broker.protocol.ApiGroups;
import dev.tributary.broker.protocol.KafkaProtocol;
import dev.tributary.broker.replication.EpochLookup;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.broker.topic.MetadataStore;
import dev.tributary.broker.topic.TopicManager;
import dev.tributary.log.cleaner.LogCleaner;
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
    private ProducerIdManager producerIds;
    private ClusterNode clusterNode;
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
            services.replicationThrottle().rates(services.brokerConfigValues());
            this.fetches = FetchService.start(partitions, scheduler, services.replicationThrottle());
            GroupService.Started groups = GroupService.start(services);
            ProducerStateService.Started producerState = ProducerStateService.start(services);
            this.producerIds = producerState.ids();
            // OffsetForLeaderEpoch: the leader's answer from its log's leader-epoch cache
            EpochLookup epochs = (id, current, epoch) -> {
                Partition p = partitions.serving(id);
                p.checkLeader(current);
                return p.endOffsetForEpoch(epoch);
            };
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
                this.clusterNode = ClusterNode.start(config, services, scheduler, producerIds);
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
        if (clusterNode != null) {
            clusterNode.close();
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
