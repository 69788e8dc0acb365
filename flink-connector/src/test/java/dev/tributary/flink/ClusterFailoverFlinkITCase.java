package dev.tributary.flink;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.faults.DeliveryChecker;
import dev.tributary.broker.faults.FaultCluster;
import dev.tributary.broker.faults.ProducerLoad;
import dev.tributary.flink.sink.TributaryPartitioner;
import dev.tributary.flink.sink.TributaryRecordSerializationSchema;
import dev.tributary.flink.sink.TributarySink;
import dev.tributary.flink.source.TributaryRecord;
import dev.tributary.flink.source.TributaryRecordDeserializationSchema;
import dev.tributary.flink.source.TributarySource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault scenario 7 for Flink: a checkpointed job (TributarySource to TributarySink, at-least-once) copies an
 * input topic to an output topic on a three-node cluster of broker processes (replication factor 3, {@code
 * min.insync.replicas=2}) while an idempotent {@code acks=all} producer keeps writing unique values to the input.
 * The leader of an input partition and then the leader of an output partition are SIGKILLed and restarted while
 * the job runs. Every value acknowledged to the producer must be in the input topic (read back once, in order)
 * and, at least once, in the output topic; duplicates are allowed and counted.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ClusterFailoverFlinkITCase {
    private static final String IN = "flink-failover-in";
    private static final String OUT = "flink-failover-out";
    private static final int PARTITIONS = 2;
    private static final int RECORDS_PER_SECOND = 200;

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /** Highest task attempt number any map subtask opened with: above 0 means the job restarted. */
    static final AtomicInteger HIGHEST_ATTEMPT = new AtomicInteger();

    @TempDir
    Path dir;

    /** The record's value as a string; notes the task attempt, so the test can say whether the job restarted. */
    static final class ValueOf extends RichMapFunction<TributaryRecord, String> {
        @Override
        public void open(OpenContext ctx) {
            HIGHEST_ATTEMPT.accumulateAndGet(getRuntimeContext().getTaskInfo().getAttemptNumber(), Math::max);
        }

        @Override
        public String map(TributaryRecord r) {
            return new String(r.value, StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldCopyEveryAcknowledgedRecordAtLeastOnceWhileLeadersAreKilled() throws Throwable {
        long t0 = System.nanoTime();
        DeliveryChecker checker = new DeliveryChecker();
        try (FaultCluster cluster = FaultCluster.start(dir)) {
            try {
                cluster.createTopic(IN, PARTITIONS);
                cluster.createTopic(OUT, PARTITIONS);
                log(t0, "cluster up, topics created");
                JobClient job;
                try (ProducerLoad load =
                        new ProducerLoad(cluster.bootstrap(), IN, PARTITIONS, RECORDS_PER_SECOND, checker)) {
                    load.start();
                    load.awaitMoreAcks(400); // pre-filled; the load goes on while the job runs
                    job = startJob(cluster.bootstrap());
                    log(t0, "job started; producer " + load.summary());
                    awaitOutput(cluster.bootstrap(), 200, Duration.ofSeconds(60));
                    log(t0, "job writes output");

                    killAndRestartLeader(cluster, IN, 0, load, t0);
                    killAndRestartLeader(cluster, OUT, 1, load, t0);

                    load.awaitMoreAcks(200);
                    load.stopAndDrain(Duration.ofSeconds(60));
                    log(t0, "producer stopped: " + load.summary());
                    assertThat(load.failed())
                            .as("failed sends; first ones: " + load.failures())
                            .isZero();
                }

                cluster.readBack(IN, PARTITIONS, checker);
                checker.verify();
                log(t0, "input topic checked: " + checker.summary());

                Set<String> expected = checker.acknowledgedValues();
                OutputRead output = readOutputUntil(cluster.bootstrap(), expected, Duration.ofSeconds(60));
                job.cancel().get(30, TimeUnit.SECONDS);
                Set<String> missing = new HashSet<>(expected);
                missing.removeAll(output.distinct);
                System.out.printf(
                        "output: %d records, %d distinct, %d duplicates, %d acknowledged inputs missing;"
                                + " highest task attempt %d (0: the job never restarted)%n",
                        output.records,
                        output.distinct.size(),
                        output.records - output.distinct.size(),
                        missing.size(),
                        HIGHEST_ATTEMPT.get());
                assertThat(missing.size())
                        .as("acknowledged input values missing from the output; first ones: "
                                + missing.stream().sorted().limit(20).toList())
                        .isZero();
                assertThat(expected).containsAll(output.distinct);
                log(t0, "done");
            } catch (Throwable t) {
                cluster.processes().printLogs();
                throw t;
            }
        }
    }

    private static JobClient startJob(String bootstrap) throws Exception {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 10);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(PARTITIONS);
        env.enableCheckpointing(500);
        env.fromSource(
                        TributarySource.<TributaryRecord>builder()
                                .setBootstrapServers(bootstrap)
                                .setTopics(IN)
                                .setGroupId("flink-failover")
                                .setDeserializer(TributaryRecordDeserializationSchema.records())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "src")
                .map(new ValueOf())
                .returns(Types.STRING)
                .sinkTo(TributarySink.<String>builder()
                        .setBootstrapServers(bootstrap)
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .setRecordSerializer(TributaryRecordSerializationSchema.<String>builder()
                                .setTopic(OUT)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .setPartitioner(TributaryPartitioner.roundRobin())
                                .build())
                        .build());
        return env.executeAsync("cluster-failover");
    }

    /**
     * SIGKILLs the node leading {@code topic}-{@code partition}, waits for another leader and for the producer
     * to get more acknowledgements, then restarts the node and waits until it is back in every ISR.
     */
    private static void killAndRestartLeader(
            FaultCluster cluster, String topic, int partition, ProducerLoad load, long t0) throws Exception {
        int leader = cluster.leader(topic, partition);
        long killedAt = System.nanoTime();
        cluster.processes().kill(leader);
        int next = cluster.awaitLeaderOtherThan(topic, partition, leader, Duration.ofSeconds(30));
        long electedMs = (System.nanoTime() - killedAt) / 1_000_000;
        load.awaitMoreAcks(200);
        cluster.processes().start(leader);
        cluster.processes().awaitListening(leader, Duration.ofSeconds(60));
        cluster.awaitFullIsr(IN, Duration.ofSeconds(60));
        cluster.awaitFullIsr(OUT, Duration.ofSeconds(60));
        log(
                t0,
                "SIGKILL of node " + leader + " (leader of " + topic + "-" + partition + "); node " + next
                        + " led after " + electedMs + " ms; back in every ISR after "
                        + (System.nanoTime() - killedAt) / 1_000_000 + " ms; producer " + load.summary());
    }

    private record OutputRead(long records, Set<String> distinct) {}

    private static void awaitOutput(String bootstrap, long atLeast, Duration atMost) {
        try (KafkaConsumer<byte[], byte[]> consumer = outputConsumer(bootstrap)) {
            long n = 0;
            long deadline = System.nanoTime() + atMost.toNanos();
            while (n < atLeast && System.nanoTime() < deadline) {
                n += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(n).as("output records within " + atMost).isGreaterThanOrEqualTo(atLeast);
        }
    }

    /** Reads the output topic from its start until it holds every value of {@code expected}, or time is up. */
    private static OutputRead readOutputUntil(String bootstrap, Set<String> expected, Duration atMost) {
        Set<String> distinct = new HashSet<>();
        Set<String> missing = new HashSet<>(expected);
        long records = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = outputConsumer(bootstrap)) {
            long deadline = System.nanoTime() + atMost.toNanos();
            while (!missing.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    String v = new String(r.value(), StandardCharsets.UTF_8);
                    records++;
                    distinct.add(v);
                    missing.remove(v);
                }
            }
            // the rest of what is there now, for an honest duplicate count
            Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment(), Duration.ofSeconds(10));
            for (int i = 0; i < 50 && !reached(consumer, ends); i++) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    records++;
                    distinct.add(new String(r.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return new OutputRead(records, distinct);
    }

    private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static KafkaConsumer<byte[], byte[]> outputConsumer(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> all = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            all.add(new TopicPartition(OUT, i));
        }
        consumer.assign(all);
        consumer.seekToBeginning(all);
        return consumer;
    }

    private static void log(long t0, String what) {
        System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - t0) / 1e9, what);
    }
}
