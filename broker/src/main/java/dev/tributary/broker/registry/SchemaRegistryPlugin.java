package dev.tributary.broker.registry;

import dev.tributary.broker.BrokerPlugin;
import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.cluster.SchemaIds;
import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.errors.InvalidConfigException;
import dev.tributary.broker.network.OpenListenerWarning;
import dev.tributary.registry.RegistryError;
import dev.tributary.registry.RegistryException;
import dev.tributary.registry.SchemaRegistryServer;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts the schema registry (module {@code registry}) in the broker process. The registry is an ordinary
 * Kafka client of this broker: it keeps its schemas in the compacted {@code _schemas} topic and reaches it
 * through the broker's own listener, so this class is the only place the broker knows about it.
 *
 * <p>On a node of a cluster, every node's registry shares the cluster's replicated {@code _schemas} (created
 * through the quorum, see {@link dev.tributary.broker.cluster.SchemasTopic}) and takes new schema ids from the
 * metadata quorum ({@link SchemaIds}), so any node answers for the one registry of the cluster. Its store loads
 * in the background there: the broker's start does not wait for {@code _schemas} or for its leader.
 *
 * <p>Settings (broker config, set by the CLI's {@code --registry-listen}):
 * {@code registry.enable} (default false, so brokers in tests stay plain) and {@code registry.listeners}
 * (default {@code http://127.0.0.1:8081}; port 0 picks a free port). When only the default address is
 * taken, the broker starts without the registry and logs why; an explicitly configured address that cannot
 * be bound fails the broker's start.
 */
public final class SchemaRegistryPlugin implements BrokerPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryPlugin.class);
    public static final String ENABLE = "registry.enable";
    public static final String LISTENERS = "registry.listeners";
    public static final String DEFAULT_LISTENER = "http://127.0.0.1:8081";
    /** The endpoint key {@link dev.tributary.broker.Broker#pluginEndpoints()} publishes. */
    public static final String URL_ENDPOINT = "registry.url";

    private SchemaRegistryServer server;

    @Override
    public void start(BrokerServices services) {
        BrokerConfig config = services.config();
        if (!config.getBoolean(ENABLE, false)) {
            return;
        }
        InetSocketAddress listen = parseListener(
                config.getList(LISTENERS, List.of(DEFAULT_LISTENER)).get(0));
        InetSocketAddress broker = services.advertisedAddress();
        String bootstrap = broker.getHostString() + ":" + broker.getPort();
        SchemaIds ids = services.schemaIds();
        try {
            server = ids == null
                    ? SchemaRegistryServer.start(listen, bootstrap)
                    : SchemaRegistryServer.startInCluster(listen, bootstrap, minimum -> allocate(ids, minimum));
            OpenListenerWarning.of("The schema registry", server.address()).ifPresent(LOG::warn);
        } catch (UncheckedIOException e) {
            if (config.isSet(LISTENERS)) {
                throw e;
            }
            // Only the default address was taken (another broker on this machine has 8081): the broker still
            // serves Kafka; an address asked for explicitly fails the start instead.
            LOG.warn(
                    "Schema registry not started: {}. Set registry.listeners (--registry-listen) to another "
                            + "address, or 'none' to turn it off.",
                    e.getMessage());
        }
    }

    /** A schema id from the quorum; a failure is the registry's 50002, so the client may try again. */
    private static int allocate(SchemaIds ids, int minimum) {
        try {
            return ids.allocate(minimum);
        } catch (RuntimeException e) {
            throw new RegistryException(
                    RegistryError.OPERATION_TIMEOUT, "No schema id from the cluster's metadata quorum: " + e, e);
        }
    }

    /** {@code http://host:port} (or {@code host:port}) to a socket address; names the key when malformed. */
    static InetSocketAddress parseListener(String value) {
        String v = value.trim();
        try {
            URI uri = URI.create(v.contains("://") ? v : "http://" + v);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw new IllegalArgumentException("host and port required");
            }
            return new InetSocketAddress(uri.getHost(), uri.getPort());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(LISTENERS, value, "expected http://HOST:PORT");
        }
    }

    @Override
    public Set<String> configKeys() {
        return Set.of(ENABLE, LISTENERS);
    }

    @Override
    public Map<String, String> endpoints() {
        return server == null ? Map.of() : Map.of(URL_ENDPOINT, server.url());
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
