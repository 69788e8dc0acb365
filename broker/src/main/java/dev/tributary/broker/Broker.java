package dev.tributary.broker;

import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.network.SocketServer;
import dev.tributary.broker.protocol.ApiGroups;
import dev.tributary.broker.protocol.KafkaProtocol;
import dev.tributary.broker.scheduler.Scheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
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
    private final BrokerServices services;
    private final SocketServer server;
    private final InetSocketAddress bound;
    private final java.util.List<BrokerPlugin> plugins = new java.util.ArrayList<>();
    private boolean closed;

    private Broker(BrokerConfig config, Clock clock) throws IOException {
        this.config = config;
        this.scheduler = new Scheduler(config.backgroundThreads());
        this.services = new BrokerServices(config, clock, scheduler);
        KafkaProtocol protocol = new KafkaProtocol(ApiGroups.all(services));
        InetSocketAddress listen = config.listen();
        this.server = new SocketServer(new SocketServer.Settings(
                new InetSocketAddress(listen.getHostString(), listen.getPort()),
                config.networkThreads(), config.ioThreads(), config.socketRequestMaxBytes()), protocol);
        this.bound = server.boundAddress();
        server.start();
        for (BrokerPlugin plugin : java.util.ServiceLoader.load(BrokerPlugin.class)) {
            try {
                plugin.start(services);
                plugins.add(plugin);
            } catch (Exception e) {
                close();
                throw new IOException("could not start broker plugin " + plugin.getClass().getName(), e);
            }
        }
        log.info("Tributary broker {} listening on {}:{}", config.nodeId(), bound.getHostString(), bound.getPort());
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

    /** Endpoints published by hosted plugins (e.g. {@code registry.url}). */
    public java.util.Map<String, String> pluginEndpoints() {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (BrokerPlugin p : plugins) {
            m.putAll(p.endpoints());
        }
        return m;
    }

    public BrokerConfig config() {
        return config;
    }

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
        log.info("Tributary broker stopped");
    }
}
