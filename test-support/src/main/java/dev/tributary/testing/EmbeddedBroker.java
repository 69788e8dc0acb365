package dev.tributary.testing;

import dev.tributary.broker.Broker;
import dev.tributary.broker.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Tributary broker in this JVM, on an ephemeral loopback port, for tests.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start()) {
 *     producerProps.put("bootstrap.servers", broker.bootstrapServers());
 * }
 * try (EmbeddedBroker broker = EmbeddedBroker.builder().config("num.partitions", "3").start()) { ... }
 * }</pre>
 *
 * Defaults: a temporary data dir (deleted by {@link #close()}), {@code auto.create.topics.enable=true},
 * {@code num.partitions=1}. {@link #restart()} stops cleanly and starts again on the same port and data.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Map<String, String> config;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private final boolean registry;
    private Broker broker;
    private int port;

    private EmbeddedBroker(Builder b) throws IOException {
        this.ownsDataDir = b.dataDir == null;
        this.dataDir = b.dataDir != null ? b.dataDir : Files.createTempDirectory("tributary-embedded-");
        this.config = new LinkedHashMap<>(b.config);
        this.registry = b.registry;
        if (registry) {
            config.putIfAbsent("registry.enable", "true");
            config.putIfAbsent("registry.listeners", "http://127.0.0.1:0");
        }
        this.port = 0;
        startBroker();
    }

    /** A broker with the defaults. */
    public static EmbeddedBroker start() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    private void startBroker() throws IOException {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put(BrokerConfig.LISTENERS, "PLAINTEXT://127.0.0.1:" + port);
        c.put(BrokerConfig.LOG_DIRS, dataDir.toString());
        broker = Broker.start(BrokerConfig.fromMap(c));
        port = broker.boundAddress().getPort();
    }

    /** {@code 127.0.0.1:PORT} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The hosted schema registry's base URL; the broker must have been built with {@code registry(true)}. */
    public String registryUrl() {
        String url = broker.pluginEndpoints().get("registry.url");
        if (url == null) {
            throw new IllegalStateException(
                    registry
                            ? "registry(true) was set but no registry plugin is on the class path"
                            : "the registry is off; use EmbeddedBroker.builder().registry(true)");
        }
        return url;
    }

    /** The broker itself, for tests that need its services. */
    public Broker broker() {
        return broker;
    }

    /** Stops cleanly (flush, clean-shutdown marker) and starts again on the same port and data dir. */
    public void restart() {
        try {
            broker.close();
            startBroker();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a topic through the Admin API and waits for it. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all()
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "could not create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    @Override
    public void close() {
        try {
            broker.close();
            if (ownsDataDir) {
                deleteRecursively(dataDir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Options; {@link #start()} starts the broker. */
    public static final class Builder {
        private final Map<String, String> config = new LinkedHashMap<>();
        private Path dataDir;
        private boolean registry;

        private Builder() {}

        /** Any broker config with Kafka's name, e.g. {@code config("auto.create.topics.enable", "false")}. */
        public Builder config(String key, String value) {
            config.put(key, value);
            return this;
        }

        /** Use (and keep) this data dir instead of a temporary one. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /** Host the schema registry too (needs the registry module on the test class path). */
        public Builder registry(boolean on) {
            this.registry = on;
            return this;
        }

        public EmbeddedBroker start() {
            try {
                return new EmbeddedBroker(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
