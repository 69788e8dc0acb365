package dev.tributary.serde;

import dev.tributary.registry.SchemaRegistryServer;
import dev.tributary.testing.EmbeddedBroker;
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
 * <p>By default Tributary's {@link EmbeddedBroker} with its hosted registry ({@code registry(true)}). With
 * {@code -Dserde.test.broker=apache-kafka} the same tests run against Apache Kafka 4.3.1 started by the
 * shared kafka-peer scripts, with the registry in the test JVM as its client: a conformance check that the
 * registry and serde depend on nothing Tributary-specific.
 */
abstract class RegistryBroker implements AutoCloseable {

    static RegistryBroker start() {
        return "apache-kafka".equals(System.getProperty("serde.test.broker")) ? ApacheKafka.start() : new Tributary();
    }

    abstract String bootstrapServers();

    abstract String registryUrl();

    /** Stops broker and registry cleanly and starts them again on the same data. */
    abstract void restart();

    @Override
    public abstract void close();

    private static final class Tributary extends RegistryBroker {
        private final EmbeddedBroker broker = EmbeddedBroker.builder().registry(true).start();

        @Override
        String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        String registryUrl() {
            return broker.registryUrl();
        }

        @Override
        void restart() {
            broker.restart();
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    private static final class ApacheKafka extends RegistryBroker {
        private static final Path KAFKA_PEER = Path.of(System.getProperty("serde.test.kafka-peer",
                "/work/shared/bench/kafka-peer"));
        private final Path dataDir;
        private final int port;
        private final int controllerPort;
        private SchemaRegistryServer registry;

        private ApacheKafka(Path dataDir, int port, int controllerPort) {
            this.dataDir = dataDir;
            this.port = port;
            this.controllerPort = controllerPort;
        }

        static ApacheKafka start() {
            try {
                ApacheKafka k = new ApacheKafka(Files.createTempDirectory("tributary-serde-kafka"), freePort(), freePort());
                k.startAll();
                return k;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        String bootstrapServers() {
            return "127.0.0.1:" + port;
        }

        @Override
        String registryUrl() {
            return registry.url();
        }

        @Override
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
                // a temp dir; leaving it behind is harmless
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
}
