package dev.tributary.serde;

import dev.tributary.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The one place the serde and registry end-to-end tests get a real broker with the schema registry.
 *
 * <p>Interim: an Apache Kafka 4.3.1 started by the shared kafka-peer scripts, with the registry hosted in
 * the test JVM against it, until Tributary's EmbeddedBroker hosts the registry itself.
 */
final class RegistryBroker implements AutoCloseable {
    private static final Path KAFKA_PEER = Path.of("/work/shared/bench/kafka-peer");

    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private SchemaRegistryServer registry;

    private RegistryBroker(Path dataDir, int port, int controllerPort) {
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    static RegistryBroker start() {
        try {
            RegistryBroker b = new RegistryBroker(Files.createTempDirectory("tributary-serde-kafka"), freePort(), freePort());
            b.startAll();
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    String registryUrl() {
        return registry.url();
    }

    /** Stops broker and registry and starts them again on the same data. */
    void restart() {
        stopAll();
        startAll();
    }

    private void startAll() {
        run("start-kafka.sh", dataDir.toString(), String.valueOf(port));
        registry = SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), bootstrapServers());
    }

    private void stopAll() {
        if (registry != null) {
            registry.close();
            registry = null;
        }
        run("stop-kafka.sh", dataDir.toString());
    }

    @Override
    public void close() {
        stopAll();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // temp dir; leaving it is harmless
        }
    }

    private void run(String script, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = KAFKA_PEER.resolve(script).toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("CONTROLLER_PORT", String.valueOf(controllerPort));
        pb.environment().put("KAFKA_HEAP_OPTS", "-Xmx512m");
        try {
            Process p = pb.start();
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(script + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
