package dev.tributary.testing;

import dev.tributary.registry.SchemaRegistryServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Apache Kafka started by the kafka-peer harness's {@code start-kafka.sh} in a temporary data dir, with
 * Tributary's schema registry in this JVM as its client. Chosen by {@code -Dtributary.test.broker=apache-kafka}.
 */
final class ApacheKafkaBroker extends BrokerUnderTest {
    private final Path harness;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;
    private SchemaRegistryServer registry;

    private ApacheKafkaBroker(Path harness, Path dataDir, int port, int controllerPort) {
        this.harness = harness;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    static ApacheKafkaBroker start(Path harness) {
        try {
            ApacheKafkaBroker k = new ApacheKafkaBroker(
                    harness, Files.createTempDirectory("tributary-apache-kafka-"), freePort(), freePort());
            k.startAll();
            return k;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Kind kind() {
        return Kind.APACHE_KAFKA;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    @Override
    public String registryUrl() {
        return registry.url();
    }

    @Override
    public void restart() {
        stopAll();
        startAll();
    }

    @Override
    public void close() {
        stopAll();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir; leaving it behind is harmless
        }
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

    private void run(String script, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = harness.resolve(script).toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        ProcessBuilder pb =
                new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("CONTROLLER_PORT", String.valueOf(controllerPort));
        pb.environment().put("KAFKA_HEAP_OPTS", "-Xmx512m");
        try {
            Process p = pb.start();
            if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(harness.resolve(script) + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
