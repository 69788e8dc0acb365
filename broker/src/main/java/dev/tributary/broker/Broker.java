package dev.tributary.broker;

import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.network.SocketServer;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.protocol.ApiGroups;
import dev.tributary.broker.protocol.KafkaProtocol;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.broker.topic.MetadataStore;
import dev.tributary.broker.topic.TopicManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broker process: storage, background jobs, the protocol adapter and the listener, started in that
 * order and closed in reverse. {@link #close()} is the graceful shutdown: stop accepting, finish, flush
 * every log and leave core-log's clean-shutdown marker.
 */
public final class Broker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broker.class);

    private final BrokerConfig config;
    private final Scheduler scheduler;
    private final PartitionManager partitions;
    private final BrokerServices services;
    private final SocketServer server;
    private final KafkaProtocol protocol;
    private final InetSocketAddress bound;
    private final List<BrokerPlugin> plugins = new ArrayList<>();
    private final DataDirLock dataDirLock;
    private boolean closed;

    private Broker(BrokerConfig config, Clock clock) throws IOException {
        this.config = config;
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
        this.protocol = new KafkaProtocol(ApiGroups.all(services));
        InetSocketAddress listen = config.listen();
        try {
            this.server = new SocketServer(new SocketServer.Settings(
                    new InetSocketAddress(listen.getHostString(), listen.getPort()),
                    config.networkThreads(), config.ioThreads(), config.socketRequestMaxBytes()), protocol);
        } catch (IOException e) {
            partitions.close();
            scheduler.close();
            dataDirLock.close();
            throw new IOException("cannot listen on " + listen.getHostString() + ":" + listen.getPort() + ": " + e.getMessage(), e);
        }
        this.bound = server.boundAddress();
        InetSocketAddress adv = config.advertised();
        services.advertisedAddress(adv != null ? adv
                : InetSocketAddress.createUnresolved(advertisableHost(listen.getHostString()), bound.getPort()));
        scheduler.schedulePeriodic("log-retention", config.retentionCheckIntervalMs(), partitions::enforceRetention);
        scheduler.schedulePeriodic("log-flush", config.flushSchedulerIntervalMs(), partitions::flushDue);
        server.start();
        for (BrokerPlugin plugin : ServiceLoader.load(BrokerPlugin.class)) {
            try {
                plugin.start(services);
                plugins.add(plugin);
            } catch (Exception e) {
                close();
                throw new IOException("could not start broker plugin " + plugin.getClass().getName(), e);
            }
        }
        log.info("Tributary broker {} listening on {}:{} with data in {}", config.nodeId(), bound.getHostString(),
                bound.getPort(), config.dataDir().toAbsolutePath());
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

    public static Broker start(BrokerConfig config, Clock clock) throws IOException {
        return new Broker(config, clock);
    }

    /** The bound address (the real port when the config asked for port 0). */
    public InetSocketAddress boundAddress() {
        return bound;
    }

    public BrokerServices services() {
        return services;
    }

    /** The protocol adapter (its registry lists the served APIs and versions). */
    public KafkaProtocol protocol() {
        return protocol;
    }

    public BrokerConfig config() {
        return config;
    }

    /** Endpoints published by hosted plugins (e.g. {@code registry.url}). */
    public Map<String, String> pluginEndpoints() {
        Map<String, String> m = new LinkedHashMap<>();
        for (BrokerPlugin p : plugins) {
            m.putAll(p.endpoints());
        }
        return m;
    }

    /** Graceful stop: plugins, listener, background jobs, then flush + clean-shutdown marker. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (BrokerPlugin plugin : plugins) {
            try {
                plugin.close();
            } catch (Exception e) {
                log.warn("Broker plugin {} failed to close", plugin.getClass().getName(), e);
            }
        }
        server.close();
        scheduler.close();
        partitions.close();
        dataDirLock.close();
        log.info("Tributary broker stopped; logs flushed");
    }
}
