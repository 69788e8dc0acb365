package dev.tributary.examples.flink.bench;

import dev.tributary.testing.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Tributary broker with its registry in its own JVM for bench/flink/read-bench.sh, so the broker and
 * the Flink job do not share a heap, as with Apache Kafka. Prints {@code BOOTSTRAP=... REGISTRY=...} and
 * runs until its stdin closes (the script holds it open) or it is killed.
 * Usage: BenchBroker DATA_DIR
 */
public final class BenchBroker {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir);
        try (EmbeddedBroker broker =
                EmbeddedBroker.builder().dataDir(dir).registry(true).start()) {
            System.out.println("BOOTSTRAP=" + broker.bootstrapServers() + " REGISTRY=" + broker.registryUrl());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for EOF
            }
        }
    }
}
