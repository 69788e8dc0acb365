package dev.tributary.broker.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rolling restart: each node in turn gets SIGTERM (its shutdown hook fences it, so its partitions move at once),
 * exits, is started again and waited for until it is back in every ISR; one pass over the three nodes (three with
 * {@code -Dtributary.faults.long=true}), under an idempotent {@code acks=all} producer. No send fails and every
 * acknowledged record is read back exactly once, in order, and each node starts again from a clean shutdown (no
 * log recovery). The produce stall of each restart (the longest time
 * without an acknowledgement from just before the SIGTERM until the node is back in every ISR) is printed, not
 * asserted.
 */
class RollingRestartTest {
    private static final String TOPIC = "rolling";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_SECOND = 300;

    @TempDir
    Path dir;

    @Test
    void aRollingRestartFailsNoSendAndLosesNoRecord() throws Throwable {
        int passes = FaultCluster.rounds(1, 3);
        DeliveryChecker checker = new DeliveryChecker();
        List<String> stalls = new ArrayList<>();
        try (FaultCluster cluster = FaultCluster.start(dir)) {
            try {
                cluster.createTopic(TOPIC, PARTITIONS);
                try (ProducerLoad load =
                        new ProducerLoad(cluster.bootstrap(), TOPIC, PARTITIONS, RECORDS_PER_SECOND, checker)) {
                    load.start();
                    load.awaitMoreAcks(300);
                    for (int pass = 1; pass <= passes; pass++) {
                        for (int node = 1; node <= FaultCluster.NODES; node++) {
                            long before = System.nanoTime();
                            cluster.processes().stop(node, Duration.ofSeconds(30));
                            long exited = System.nanoTime();
                            cluster.processes().start(node);
                            cluster.processes().awaitListening(node, Duration.ofSeconds(60));
                            long listening = System.nanoTime();
                            // SIGTERM flushes and closes every log: the next start must not need recovery
                            assertThat(cluster.processes().logSinceStart(node))
                                    .as("node " + node + "'s start after SIGTERM")
                                    .contains("(clean shutdown)");
                            cluster.awaitFullIsr(TOPIC, Duration.ofSeconds(60));
                            long inIsr = System.nanoTime();
                            load.awaitMoreAcks(150);
                            String line = String.format(
                                    "pass %d, node %d: exited %d ms after SIGTERM, listening after %d ms, back in"
                                            + " every ISR after %d ms; longest gap between acknowledgements %d ms",
                                    pass,
                                    node,
                                    ms(exited - before),
                                    ms(listening - before),
                                    ms(inIsr - before),
                                    load.longestAckGap(before, inIsr).toMillis());
                            System.out.println(line);
                            stalls.add(line);
                        }
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
                assertThat(stalls).hasSize(passes * FaultCluster.NODES);
            } catch (Throwable t) {
                cluster.processes().printLogs();
                throw t;
            }
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
