package dev.tributary.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import dev.tributary.flink.source.metrics.TributarySourceMetrics;
import dev.tributary.flink.testing.TestBroker;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Retention removes records the job still needed: with failOnDataLoss=false the loss is counted in
 * {@code dataLossRecords} and reading continues at the log start; with true the job fails naming the
 * partition and offsets. Also checks the per-partition offset gauges.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TributarySourceDataLossITCase {

    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** 10 records in one partition, the first 4 then deleted as retention would. */
    private static TopicPartition topicWithDeletedHead(TestBroker broker) {
        String topic = broker.newTopic("loss", 1);
        broker.produce(topic, 0, 0, 10, 0, 1);
        TopicPartition tp = new TopicPartition(topic, 0);
        broker.deleteRecordsBefore(tp, 4);
        return tp;
    }

    private static TributarySource<TributaryRecord> sourceFromZero(TestBroker broker, TopicPartition tp, boolean fail) {
        // The job asks for offset 0, which a slow job would have had as its position before retention ran.
        return TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers()).setTopics(tp.topic())
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setStartingOffsets(OffsetsInitializer.offsets(Map.of(tp, 0L)))
                .setBounded(OffsetsInitializer.latest())
                .setFailOnDataLoss(fail).build();
    }

    private static Map<String, Metric> metrics(JobID job, String suffix) {
        Map<String, Metric> out = new java.util.HashMap<>();
        REPORTER.getMetricsByIdentifiers(job).forEach((id, m) -> {
            if (id.endsWith(suffix)) {
                out.put(id, m);
            }
        });
        return out;
    }

    @Test
    void shouldCountLostRecordsAndContinueWhenNotFailingOnDataLoss() throws Exception {
        TestBroker broker = TestBroker.shared();
        TopicPartition tp = topicWithDeletedHead(broker);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        CloseableIterator<Long> it = env.fromSource(sourceFromZero(broker, tp, false), WatermarkStrategy.noWatermarks(), "src")
                .map(r -> r.offset).returns(Types.LONG).collectAsync();
        JobClient client = env.executeAsync();
        List<Long> offsets = new ArrayList<>();
        it.forEachRemaining(offsets::add);
        client.getJobExecutionResult().get(60, TimeUnit.SECONDS);

        assertThat(offsets).containsExactlyInAnyOrder(4L, 5L, 6L, 7L, 8L, 9L);
        Map<String, Metric> loss = metrics(client.getJobID(), TributarySourceMetrics.DATA_LOSS_RECORDS);
        assertThat(loss).hasSize(1);
        assertThat(((Counter) loss.values().iterator().next()).getCount()).isEqualTo(4);
        Map<String, Metric> current = metrics(client.getJobID(), tp.topic() + ".partition.0.currentOffset");
        assertThat(current).hasSize(1);
        assertThat(((Gauge<?>) current.values().iterator().next()).getValue()).isEqualTo(10L);
    }

    @Test
    void shouldFailTheJobNamingPartitionAndOffsetsWhenFailingOnDataLoss() {
        TestBroker broker = TestBroker.shared();
        TopicPartition tp = topicWithDeletedHead(broker);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(conf);
        env.setParallelism(1);
        env.fromSource(sourceFromZero(broker, tp, true), WatermarkStrategy.noWatermarks(), "src")
                .map(r -> r.offset).returns(Types.LONG).sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        assertThatThrownBy(env::execute).satisfies(e -> {
            DataLossException loss = ExceptionUtils.findThrowable(e, DataLossException.class).orElseThrow();
            assertThat(loss.partition()).isEqualTo(tp);
            assertThat(loss.requestedOffset()).isZero();
            assertThat(loss.logStartOffset()).isEqualTo(4);
            assertThat(loss.getMessage()).contains(tp.toString()).contains("offset 0").contains("starts at 4");
        });
    }
}
