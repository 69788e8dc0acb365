package dev.tributary.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.flink.testing.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A checkpointed job loses its TaskManager mid-stream, resumes from the checkpoint on a new one, and
 * the collected output (exactly-once collect sink, keyed by partition and offset) has every record once.
 * The group's committed offsets follow completed checkpoints to the end.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TributarySourceFailoverITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    private static final int PER_PARTITION_PHASE = 500;

    private static Map<TopicPartition, Long> committedOffsets(TestBroker broker, String group, String topic) {
        Map<TopicPartition, Long> out = new HashMap<>();
        broker.committed(group).forEach((tp, om) -> {
            if (tp.topic().equals(topic) && om != null) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    @Test
    void shouldResumeFromCheckpointAfterTaskManagerLossWithoutLossOrDuplicates(@InjectMiniCluster MiniCluster cluster)
            throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("failover", 2);
        String group = "failover-" + System.nanoTime();
        broker.produce(topic, 0, 0, PER_PARTITION_PHASE, 0, 1);
        broker.produce(topic, 1, 0, PER_PARTITION_PHASE, 0, 1);

        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(conf);
        env.setParallelism(2);
        env.enableCheckpointing(200);

        TributarySource<TributaryRecord> source = TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(topic)
                .setGroupId(group)
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .build();
        List<String> collected = new ArrayList<>();
        int total = 4 * PER_PARTITION_PHASE;
        try (CloseableIterator<String> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "src")
                .map(r -> r.partition + "-" + r.offset)
                .returns(Types.STRING)
                .executeAndCollect()) {
            while (collected.size() < PER_PARTITION_PHASE) {
                collected.add(it.next());
            }
            // A checkpoint with progress in both partitions completed: its offsets were committed to the group.
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> committedOffsets(broker, group, topic),
                            c -> c.size() == 2 && c.values().stream().allMatch(o -> o > 0));
            cluster.terminateTaskManager(0).get(30, TimeUnit.SECONDS);
            cluster.startTaskManager();
            broker.produce(topic, 0, PER_PARTITION_PHASE, PER_PARTITION_PHASE, 0, 1);
            broker.produce(topic, 1, PER_PARTITION_PHASE, PER_PARTITION_PHASE, 0, 1);
            Set<String> distinct = new HashSet<>(collected);
            while (distinct.size() < total) {
                String next = it.next();
                collected.add(next);
                distinct.add(next);
            }
            long end = 2L * PER_PARTITION_PHASE;
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () -> committedOffsets(broker, group, topic),
                            c -> c.equals(
                                    Map.of(new TopicPartition(topic, 0), end, new TopicPartition(topic, 1), end)));
        }
        Set<String> expected = new HashSet<>();
        for (int p = 0; p < 2; p++) {
            for (int o = 0; o < 2 * PER_PARTITION_PHASE; o++) {
                expected.add(p + "-" + o);
            }
        }
        assertThat(new HashSet<>(collected)).isEqualTo(expected);
        assertThat(collected).as("no record delivered twice").hasSize(total);
    }
}
