package dev.tributary.spark.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
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

                StreamingQuery query = spark.readStream()
                        .format("tributary")
                        .option("tributary.bootstrap.servers", cluster.bootstrap())
                        .option("subscribe", IN)
                        .option("startingOffsets", "earliest")
                        .option("maxOffsetsPerTrigger", "100")
                        .load()
                        .selectExpr("value")
                        .writeStream()
                        .format("tributary")
                        .option("tributary.bootstrap.servers", cluster.bootstrap())
                        .option("topic", OUT)
                        .option("checkpointLocation", dir.resolve("checkpoint").toString())
                        .trigger(Trigger.AvailableNow())
                        .start();
                try {
                    awaitFirstBatch(query, Duration.ofSeconds(60));
                    log(t0, "query wrote its first micro-batch");
                    assertThat(query.isActive())
                            .as("the query still runs when the first leader is killed")
                            .isTrue();
                    killAndRestartLeader(cluster, IN, 0, query, t0);
                    killAndRestartLeader(cluster, OUT, 1, query, t0);
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
                assertThat(missing)
                        .as("acknowledged input values missing from the output")
                        .isEmpty();
                assertThat(expected).containsAll(distinct);
                log(t0, "done");
            } catch (Throwable t) {
                cluster.processes().printLogs();
                throw t;
            }
        }
    }

    private static void awaitFirstBatch(StreamingQuery query, Duration atMost) {
        await("a first non-empty micro-batch")
                .atMost(atMost)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> batches(query) > 0 || !query.isActive());
        assertThat(batches(query)).as("micro-batches within " + atMost).isPositive();
    }

    private static int batches(StreamingQuery query) {
        int n = 0;
        for (StreamingQueryProgress p : query.recentProgress()) {
            if (p.numInputRows() > 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * SIGKILLs the node leading {@code topic}-{@code partition}, waits for another leader, restarts the node and
     * waits until it is back in every ISR; says whether the query was still running at the kill.
     */
    private static void killAndRestartLeader(
            FaultCluster cluster, String topic, int partition, StreamingQuery query, long t0) throws Exception {
        int leader = cluster.leader(topic, partition);
        int batchesBefore = batches(query);
        boolean active = query.isActive();
        long killedAt = System.nanoTime();
        cluster.processes().kill(leader);
        int next = cluster.awaitLeaderOtherThan(topic, partition, leader, Duration.ofSeconds(30));
        long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
        cluster.processes().start(leader);
        cluster.processes().awaitListening(leader, Duration.ofSeconds(60));
        cluster.awaitFullIsr(IN, Duration.ofSeconds(60));
        cluster.awaitFullIsr(OUT, Duration.ofSeconds(60));
        log(
                t0,
                "SIGKILL of node " + leader + " (leader of " + topic + "-" + partition + ") after " + batchesBefore
                        + " micro-batches, query " + (active ? "running" : "already ended") + "; node " + next
                        + " led after " + electedMs + " ms; back in every ISR after "
                        + (System.nanoTime() - killedAt) / 1_000_000 + " ms; " + batches(query)
                        + " micro-batches now");
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
