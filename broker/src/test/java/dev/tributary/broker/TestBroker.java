package dev.tributary.broker;

import dev.tributary.broker.config.BrokerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real broker on an ephemeral loopback port with a temporary data dir, for this module's tests
 * (other modules use test-support's EmbeddedBroker, which depends on this module).
 */
public final class TestBroker implements AutoCloseable {
    private final Path dataDir;
    private final Map<String, String> config;
    private Broker broker;
    private int port;

    public TestBroker(Map<String, String> overrides) {
        this(newTempDir(), overrides);
    }

    /** A broker on a data directory the test chose (e.g. on a small filesystem it mounted); deleted on close. */
    public TestBroker(Path dataDir, Map<String, String> overrides) {
        this.dataDir = dataDir;
        config = new LinkedHashMap<>(overrides);
        start();
    }

    private static Path newTempDir() {
        try {
            return Files.createTempDirectory("tributary-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public TestBroker() {
        this(Map.of());
    }

    private void start() {
        Map<String, String> c = new LinkedHashMap<>(config);
        c.put(BrokerConfig.LISTENERS, "127.0.0.1:" + port);
        c.put(BrokerConfig.LOG_DIRS, dataDir.toString());
        try {
            broker = Broker.start(BrokerConfig.fromMap(c));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = broker.boundAddress().getPort();
    }

    public void restart() {
        try {
            broker.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        start();
    }

    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Broker broker() {
        return broker;
    }

    public Properties clientProps() {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap());
        return p;
    }

    @Override
    public void close() {
        try {
            broker.close();
            try (Stream<Path> s = Files.walk(dataDir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
