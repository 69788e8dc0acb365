package dev.tributary.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import dev.tributary.flink.source.metrics.TributarySourceMetrics;
import dev.tributary.flink.testing.TestBroker;
import java.time.Duration;
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
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Time retention removes records the job still needed: with failOnDataLoss=false the loss is counted in
 * {@code dataLossRecords} and reading continues at the log start; with true the job fails naming the
 * partition and offsets. Also checks the per-partition offset gauges, and the records and bytes in.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TributarySourceDataLossITCase {

    static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setConfiguration(REPORTER.addToConfiguration(new Configuration()))
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(2)
            .build());

    /**
     * 20 records in one partition, in small segments with 1970 timestamps, so the broker's time retention
     * (retention.ms = 1 h, checked every 200 ms) deletes every segment but the active one. Returns the
     * partition once the log start has moved.
     */
    private static TopicPartition topicWithRetentionDeletedHead(TestBroker broker) throws Exception {
        String topic = broker.newTopic("loss", 1, Map.of("segment.bytes", "512", "retention.ms", "3600000"));
        for (int i = 0; i < 20; i++) { // one batch per send, so batches spread over several 512-byte segments
            broker.send(new ProducerRecord<>(topic, 0, (long) i, null, new byte[100]));
        }
        TopicPartition tp = new TopicPartition(topic, 0);
        await().atMost(Duration.ofSeconds(30)).until(() -> broker.startOffset(tp) > 0);
        return tp;
    }

    private static TributarySource<TributaryRecord> sourceFromZero(TestBroker broker, TopicPartition tp, boolean fail) {
        // The job asks for offset 0, which a slow job would have had as its position before retention ran.
        return TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(tp.topic())
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setStartingOffsets(OffsetsInitializer.offsets(Map.of(tp, 0L)))
                .setBounded(OffsetsInitializer.latest())
                .setFailOnDataLoss(fail)
                .build();
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
        TopicPartition tp = topicWithRetentionDeletedHead(broker);
        long logStart = broker.startOffset(tp);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        CloseableIterator<Long> it = env.fromSource(
                        sourceFromZero(broker, tp, false), WatermarkStrategy.noWatermarks(), "src")
                .map(r -> r.offset)
                .returns(Types.LONG)
                .collectAsync();
        JobClient client = env.executeAsync();
        List<Long> offsets = new ArrayList<>();
        it.forEachRemaining(offsets::add);
        client.getJobExecutionResult().get(60, TimeUnit.SECONDS);

        // Retention may still be deleting segments while the job starts, so the job's own first offset is
        // where the log started when it read: everything before it is counted lost, everything after read.
        long first = offsets.stream().mapToLong(Long::longValue).min().orElseThrow();
        assertThat(first).isGreaterThanOrEqualTo(logStart);
        List<Long> expected = new ArrayList<>();
        for (long o = first; o < 20; o++) {
            expected.add(o);
        }
        assertThat(offsets).containsExactlyInAnyOrderElementsOf(expected);
        Map<String, Metric> loss = metrics(client.getJobID(), TributarySourceMetrics.DATA_LOSS_RECORDS);
        assertThat(loss).hasSize(1);
        assertThat(((Counter) loss.values().iterator().next()).getCount()).isEqualTo(first);
        Map<String, Metric> current = metrics(client.getJobID(), tp.topic() + ".partition.0.currentOffset");
        assertThat(current).hasSize(1);
        assertThat(((Gauge<?>) current.values().iterator().next()).getValue()).isEqualTo(20L);
    }

    @Test
    void shouldFailTheJobNamingPartitionAndOffsetsWhenFailingOnDataLoss() throws Exception {
        TestBroker broker = TestBroker.shared();
        TopicPartition tp = topicWithRetentionDeletedHead(broker);
        long logStart = broker.startOffset(tp);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(conf);
        env.setParallelism(1);
        env.fromSource(sourceFromZero(broker, tp, true), WatermarkStrategy.noWatermarks(), "src")
                .map(r -> r.offset)
                .returns(Types.LONG)
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        assertThatThrownBy(env::execute).satisfies(e -> {
            DataLossException loss =
                    ExceptionUtils.findThrowable(e, DataLossException.class).orElseThrow();
            assertThat(loss.partition()).isEqualTo(tp);
            assertThat(loss.requestedOffset()).isZero();
            assertThat(loss.logStartOffset()).isGreaterThanOrEqualTo(logStart);
            assertThat(loss.getMessage())
                    .contains(tp.toString())
                    .contains("offset 0")
                    .contains("starts at " + loss.logStartOffset());
        });
    }

    @Test
    void shouldCountRecordsAndKeyPlusValueBytesIn() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("bytes-in", 2, Map.of());
        long expectedBytes = 0;
        for (int i = 0; i < 30; i++) {
            byte[] key = i % 3 == 0 ? null : new byte[7];
            broker.send(new ProducerRecord<>(topic, i % 2, key, new byte[100 + i]));
            expectedBytes += (key == null ? 0 : key.length) + 100 + i;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        TributarySource<TributaryRecord> source = TributarySource.<TributaryRecord>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics(topic)
                .setDeserializer(TributaryRecordDeserializationSchema.records())
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setBounded(OffsetsInitializer.latest())
                .build();
        CloseableIterator<Long> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "counted")
                .map(r -> r.offset)
                .returns(Types.LONG)
                .collectAsync();
        JobClient client = env.executeAsync();
        List<Long> offsets = new ArrayList<>();
        it.forEachRemaining(offsets::add);
        client.getJobExecutionResult().get(60, TimeUnit.SECONDS);

        assertThat(offsets).hasSize(30);
        // the source reader's counters; other operators of the job have their own (other values)
        assertThat(counts(client.getJobID(), "numBytesIn")).contains(expectedBytes);
        assertThat(counts(client.getJobID(), "numRecordsIn")).contains(30L);
    }

    private static List<Long> counts(JobID job, String name) {
        List<Long> out = new ArrayList<>();
        metrics(job, "." + name).values().forEach(m -> out.add(((Counter) m).getCount()));
        return out;
    }
}
