package dev.tributary.spark.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.faults.DeliveryChecker;
import dev.tributary.broker.faults.FaultCluster;
import dev.tributary.broker.faults.ProducerLoad;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault scenario 7 for Spark: a Structured Streaming query with {@code Trigger.AvailableNow} copies an input
 * topic to an output topic (Tributary source to Tributary sink, at-least-once) on a three-node cluster of broker
 * processes (replication factor 3, {@code min.insync.replicas=2}). The input is written first by an idempotent
 * {@code acks=all} producer with unique values; the query reads it in small micro-batches ({@code
 * maxOffsetsPerTrigger}), and while it runs the leader of an input partition is SIGKILLed and restarted, then the
 * leader of an output partition. The query must end by itself without error, and every acknowledged value must
 * be in the input topic (read back once, in order) and, at least once, in the output topic.
 *
 * <p>Each kill is fired from inside a running task, by a UDF on the copied value ({@link KillHook}), when the
 * task reaches a chosen input record: so the input leader dies while a task is still reading its partition (the
 * rest of the range must come from the new leader), and the output leader dies while a task has writes in flight.
 * A kill from the test thread mostly lands between micro-batches, when no read or write is outstanding (the
 * driver's planning simply waits for the new leader), and then tests little. Local mode runs the tasks in this
 * JVM, so the UDF reaches the test's cluster through a static field.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterFailoverSparkTest {
    private static final String IN = "spark-failover-in";
    private static final String OUT = "spark-failover-out";
    private static final int PARTITIONS = 2;
    private static final int RECORDS_PER_SECOND = 1000;
    private static final int RECORDS = 4000;

    @TempDir
    Path dir;

    /**
     * Fires {@link #kill} once per target value, on the task thread that copies it; the first target also opens
     * the way for the second only after the test has restarted the first victim ({@link #restarted}).
     */
    static final class KillHook {
        static volatile String inputTarget;
        static volatile String outputTarget;
        static volatile Consumer<String> kill;
        static final CountDownLatch inputKilled = new CountDownLatch(1);
        static final CountDownLatch restarted = new CountDownLatch(1);
        static final CountDownLatch outputKilled = new CountDownLatch(1);

        static String onValue(String value) throws InterruptedException {
            if (value.equals(inputTarget) && inputKilled.getCount() > 0) {
                kill.accept("input");
                inputKilled.countDown();
            } else if (value.equals(outputTarget) && outputKilled.getCount() > 0) {
                // one node down at a time: wait (bounded) until the first victim is back in every ISR
                restarted.await(60, TimeUnit.SECONDS);
                kill.accept("output");
                outputKilled.countDown();
            }
            return value;
        }
    }

    @Test
    void shouldCopyEveryAcknowledgedRecordWhileLeadersAreKilledDuringAnAvailableNowQuery() throws Throwable {
        long t0 = System.nanoTime();
        SparkSession spark = SparkTestSession.get();
        log(t0, "spark session up");
        DeliveryChecker checker = new DeliveryChecker();
        try (FaultCluster cluster = FaultCluster.start(Files.createDirectories(dir.resolve("cluster")))) {
            try {
                cluster.createTopic(IN, PARTITIONS);
                cluster.createTopic(OUT, PARTITIONS);
                log(t0, "cluster up, topics created");
                try (ProducerLoad load =
                        new ProducerLoad(cluster.bootstrap(), IN, PARTITIONS, RECORDS_PER_SECOND, checker)) {
                    load.start();
                    load.awaitMoreAcks(RECORDS);
                    load.stopAndDrain(Duration.ofSeconds(60));
                    log(t0, "input written: " + load.summary());
                    assertThat(load.failed()).isZero();
                }

                String prefix = checker.acknowledgedValues().iterator().next().replaceAll("-\\d+$", "");
                // values are prefix-N, N round-robin over the partitions: N=1000 is record 500 of partition 0
                // (about micro-batch 10 of 40), N=2601 is in partition 1 of about micro-batch 26
                KillHook.inputTarget = prefix + "-1000";
                KillHook.outputTarget = prefix + "-2601";
                int[] victims = {-1, -1};
                long[] killedAt = {0, 0};
                KillHook.kill = which -> {
                    int i = which.equals("input") ? 0 : 1;
                    try {
                        victims[i] = cluster.leader(i == 0 ? IN : OUT, i);
                        killedAt[i] = System.nanoTime();
                        cluster.processes().kill(victims[i]);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    log(
                            t0,
                            "SIGKILL of node " + victims[i] + " (leader of " + (i == 0 ? IN + "-0" : OUT + "-1")
                                    + ") from inside a task, after " + batches(activeQuery) + " micro-batches");
                };
                spark.udf().register("kill_hook", (UDF1<String, String>) KillHook::onValue, DataTypes.StringType);

                StreamingQuery query = spark.readStream()
                        .format("tributary")
                        .option("tributary.bootstrap.servers", cluster.bootstrap())
                        .option("subscribe", IN)
                        .option("startingOffsets", "earliest")
                        .option("maxOffsetsPerTrigger", "100")
                        .load()
                        .selectExpr("kill_hook(CAST(value AS STRING)) AS value")
                        .writeStream()
                        .format("tributary")
                        .option("tributary.bootstrap.servers", cluster.bootstrap())
                        .option("topic", OUT)
                        .option("checkpointLocation", dir.resolve("checkpoint").toString())
                        .trigger(Trigger.AvailableNow())
                        .start();
                activeQuery = query;
                try {
                    assertThat(KillHook.inputKilled.await(60, TimeUnit.SECONDS))
                            .as("a task reached " + KillHook.inputTarget)
                            .isTrue();
                    restartAfterElection(cluster, IN, 0, victims[0], killedAt[0], t0);
                    KillHook.restarted.countDown();
                    assertThat(KillHook.outputKilled.await(60, TimeUnit.SECONDS))
                            .as("a task reached " + KillHook.outputTarget)
                            .isTrue();
                    restartAfterElection(cluster, OUT, 1, victims[1], killedAt[1], t0);
                    assertThat(query.awaitTermination(90_000))
                            .as("the AvailableNow query ends by itself")
                            .isTrue();
                    assertThat(query.exception().isEmpty())
                            .as("the query ended without error: " + query.exception())
                            .isTrue();
                    log(t0, "query ended after " + batches(query) + " non-empty micro-batches");
                } finally {
                    query.stop();
                }

                cluster.readBack(IN, PARTITIONS, checker);
                checker.verify();
                log(t0, "input topic checked: " + checker.summary());

                Set<String> expected = checker.acknowledgedValues();
                long[] records = {0};
                Set<String> distinct = readOutput(cluster.bootstrap(), records);
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(distinct);
                System.out.printf(
                        "output: %d records, %d distinct, %d duplicates, %d acknowledged inputs missing%n",
                        records[0], distinct.size(), records[0] - distinct.size(), missing.size());
                assertThat(missing.size())
                        .as("acknowledged input values missing from the output; first ones: "
                                + missing.stream().sorted().limit(20).toList())
                        .isZero();
                assertThat(expected).containsAll(distinct);
                log(t0, "done");
            } catch (Throwable t) {
                cluster.processes().printLogs();
                throw t;
            }
        }
    }

    private static volatile StreamingQuery activeQuery;

    private static int batches(StreamingQuery query) {
        if (query == null) {
            return 0;
        }
        int n = 0;
        for (StreamingQueryProgress p : query.recentProgress()) {
            if (p.numInputRows() > 0) {
                n++;
            }
        }
        return n;
    }

    /** Waits for a new leader of the killed node's partition, restarts the node, waits until it is in every ISR. */
    private static void restartAfterElection(
            FaultCluster cluster, String topic, int partition, int victim, long killedAt, long t0) throws Exception {
        int next = cluster.awaitLeaderOtherThan(topic, partition, victim, Duration.ofSeconds(30));
        long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
        cluster.processes().start(victim);
        cluster.processes().awaitListening(victim, Duration.ofSeconds(60));
        cluster.awaitFullIsr(IN, Duration.ofSeconds(60));
        cluster.awaitFullIsr(OUT, Duration.ofSeconds(60));
        log(
                t0,
                "node " + next + " led " + topic + "-" + partition + " " + electedMs + " ms after the kill of node "
                        + victim + "; node " + victim + " back in every ISR after "
                        + (System.nanoTime() - killedAt) / 1_000_000 + " ms");
    }

    /** Reads the whole output topic from its start; {@code records[0]} gets the record count. */
    private static Set<String> readOutput(String bootstrap, long[] records) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Set<String> distinct = new HashSet<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                all.add(new TopicPartition(OUT, i));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!reached(consumer, ends) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records[0]++;
                    distinct.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
            assertThat(reached(consumer, ends)).as("output read up to " + ends).isTrue();
        }
        return distinct;
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static void log(long t0, String what) {
        System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
