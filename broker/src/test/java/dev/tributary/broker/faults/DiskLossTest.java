package dev.tributary.broker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node loses its disk: it is stopped (SIGTERM), its whole data directory is deleted (partitions, checkpoints
 * and its copy of the metadata quorum's log), and it is started again, while an idempotent {@code acks=all}
 * producer keeps writing to a topic at replication factor 3 and {@code min.insync.replicas=2}. It copies every
 * partition back from the leaders, rejoins every ISR, and its segment files end up byte-identical to every other
 * replica's; no send fails and every acknowledged record is read back exactly once, in order. One round (three,
 * each on another node, with {@code -Dtributary.faults.long=true}).
 */
class DiskLossTest {
    private static final String TOPIC = "disk";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_SECOND = 300;

    @TempDir
    Path dir;

    @Test
    void aNodeThatLostItsDiskCopiesEveryPartitionBackByteForByte() throws Throwable {
        int rounds = FaultCluster.rounds(1, 3);
        DeliveryChecker checker = new DeliveryChecker();
        try (FaultCluster cluster = FaultCluster.start(dir)) {
            try {
                cluster.createTopic(TOPIC, PARTITIONS);
                try (ProducerLoad load =
                        new ProducerLoad(cluster.bootstrap(), TOPIC, PARTITIONS, RECORDS_PER_SECOND, checker)) {
                    load.start();
                    for (int round = 1; round <= rounds; round++) {
                        load.awaitMoreAcks(1500);
                        int node = (round - 1) % FaultCluster.NODES + 1;
                        long before = System.nanoTime();
                        cluster.processes().stop(node, Duration.ofSeconds(30));
                        Path data = cluster.processes().dataDir(node);
                        long deleted = deleteRecursively(data);
                        assertThat(data).doesNotExist();
                        load.awaitMoreAcks(300); // the other two take acks=all writes meanwhile
                        cluster.processes().start(node);
                        cluster.processes().awaitListening(node, Duration.ofSeconds(60));
                        cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));
                        load.awaitMoreAcks(300);
                        System.out.printf(
                                "round %d/%d: node %d stopped, %d files of its data directory deleted, restarted"
                                        + " empty and back in every ISR after %d ms; producer %s%n",
                                round, rounds, node, deleted, (System.nanoTime() - before) / 1_000_000, load.summary());
                    }
                    load.stopAndDrain(Duration.ofSeconds(120));
                    System.out.println("producer: " + load.summary());
                    assertThat(load.failed())
                            .as("failed sends; first ones: " + load.failures())
                            .isZero();
                }
                cluster.readBack(TOPIC, PARTITIONS, checker);
                System.out.println("checked: " + checker.summary());
                cluster.verify(checker, TOPIC);

                // nothing is written any more: every replica's segments must end up the same bytes
                await("every replica of every partition holds the same segment bytes")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            for (int p = 0; p < PARTITIONS; p++) {
                                byte[] first = logBytes(cluster.processes().dataDir(1), p);
                                assertThat(first.length)
                                        .as("segment bytes of partition " + p + " on node 1")
                                        .isPositive();
                                for (int node = 2; node <= FaultCluster.NODES; node++) {
                                    byte[] other = logBytes(cluster.processes().dataDir(node), p);
                                    assertThat(firstDifference(first, other))
                                            .as("first differing byte of partition " + p + " on node " + node
                                                    + " against node 1 (sizes " + other.length + " and "
                                                    + first.length + "; -1: identical)")
                                            .isEqualTo(-1);
                                }
                            }
                        });
                for (int p = 0; p < PARTITIONS; p++) {
                    System.out.println("partition " + p + ": "
                            + logBytes(cluster.processes().dataDir(1), p).length
                            + " segment bytes, identical on the three nodes");
                }
            } catch (Throwable t) {
                cluster.processes().printLogs();
                throw t;
            }
        }
    }

    /** The index of the first byte where {@code a} and {@code b} differ (or where one ends); -1 if equal. */
    static long firstDifference(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            if (a[i] != b[i]) {
                return i;
            }
        }
        return a.length == b.length ? -1 : n;
    }

    /** The partition's segment files on one node, concatenated in offset order. */
    private static byte[] logBytes(Path dataDir, int partition) throws IOException {
        Path partitionDir = dataDir.resolve(TOPIC + "-" + partition);
        List<Path> segments;
        try (Stream<Path> s = Files.list(partitionDir)) {
            segments = s.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Path f : segments) {
            out.write(Files.readAllBytes(f));
        }
        return out.toByteArray();
    }

    /** Deletes {@code root} and everything under it; returns how many files there were. */
    private static long deleteRecursively(Path root) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        long files = 0;
        for (Path p : all) {
            if (Files.isRegularFile(p)) {
                files++;
            }
            Files.delete(p);
        }
        return files;
    }
}
