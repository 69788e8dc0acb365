package dev.tributary.registry;

import com.sun.net.httpserver.HttpServer;
import dev.tributary.registry.http.RegistryHttpHandler;
import dev.tributary.registry.store.KafkaRegistryStore;
import dev.tributary.registry.store.RegistryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema registry's HTTP listener: the entry point the broker calls to host the registry in its process.
 *
 * <pre>
 * try (SchemaRegistryServer registry = SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 8081),
 *                                                                  "127.0.0.1:9092")) {
 *     registry.url();   // http://127.0.0.1:8081
 * }
 * </pre>
 *
 * {@link #start(InetSocketAddress, String)} returns once {@code _schemas} has been read to its end, so the
 * first request already sees every schema registered before a restart. The broker must be accepting Kafka
 * connections on {@code bootstrapServers} before it calls this.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryServer.class);
    /** Registry calls are short; a few threads keep a burst of clients from queueing behind one slow write. */
    private static final int HTTP_THREADS = 4;

    private final HttpServer http;
    private final ExecutorService executor;
    private final SchemaRegistry registry;

    private SchemaRegistryServer(HttpServer http, ExecutorService executor, SchemaRegistry registry) {
        this.http = http;
        this.executor = executor;
        this.registry = registry;
    }

    /** Serves a registry stored in the broker at {@code bootstrapServers}, in its {@code _schemas} topic. */
    public static SchemaRegistryServer start(InetSocketAddress listen, String bootstrapServers) {
        return start(listen, new KafkaRegistryStore(bootstrapServers));
    }

    /**
     * Serves the registry of one broker of a cluster: every broker's registry shares the cluster's replicated
     * {@code _schemas} and takes new schema ids from {@code ids}, which all of them share (the metadata quorum).
     * Returns once the port is bound; the store loads in the background (it may wait for {@code _schemas} to be
     * created, or for a leader), and requests until then wait briefly and are refused with 50002.
     *
     * @throws UncheckedIOException when {@code listen} cannot be bound
     */
    public static SchemaRegistryServer startInCluster(
            InetSocketAddress listen, String bootstrapServers, SchemaIdSource ids) {
        return start(listen, KafkaRegistryStore.forCluster(bootstrapServers), ids, true);
    }

    /**
     * Serves a registry kept in {@code store}; the server closes the store when it closes. The port is bound
     * first, so a taken address fails before any Kafka client is created.
     *
     * @throws UncheckedIOException when {@code listen} cannot be bound
     */
    public static SchemaRegistryServer start(InetSocketAddress listen, RegistryStore store) {
        return start(listen, store, SchemaIdSource.AFTER_HIGHEST_READ, false);
    }

    private static SchemaRegistryServer start(
            InetSocketAddress listen, RegistryStore store, SchemaIdSource ids, boolean loadInBackground) {
        HttpServer http;
        try {
            http = HttpServer.create(listen, 0);
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException(
                    "Cannot listen for the schema registry on " + listen + ": " + e.getMessage(), e);
        }
        SchemaRegistry registry;
        try {
            registry =
                    loadInBackground ? SchemaRegistry.loadingInBackground(store, ids) : new SchemaRegistry(store, ids);
        } catch (RuntimeException e) {
            http.stop(0);
            store.close();
            throw e;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
            Thread t = new Thread(r, "tributary-registry-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        http.createContext("/", new RegistryHttpHandler(registry));
        http.setExecutor(executor);
        http.start();
        SchemaRegistryServer server = new SchemaRegistryServer(http, executor, registry);
        LOG.info("schema registry listening on {}", server.url());
        return server;
    }

    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** {@code http://host:port} of the bound listener. */
    public String url() {
        InetSocketAddress a = address();
        return "http://" + a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
        registry.close();
    }
}
