package dev.tributary.flink.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.flink.source.TributaryRecord;
import dev.tributary.flink.source.TributaryRecordDeserializationSchema;
import dev.tributary.flink.source.TributarySource;
import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import dev.tributary.flink.testing.TestBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.serialization.SimpleStringSchema;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TributarySinkITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static StreamExecutionEnvironment envWithRestarts(String strategy) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, strategy);
        if (strategy.equals("fixed-delay")) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        }
        env.configure(conf);
        return env;
    }

    /** Fails its first attempt after {@code failAfter} records; slow enough for checkpoints to complete first. */
    static final class FailOnceMap extends RichMapFunction<TributaryRecord, String> {
        private final int failAfter;
        private int seen;
        private int attempt;

        FailOnceMap(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public void open(OpenContext ctx) {
            attempt = getRuntimeContext().getTaskInfo().getAttemptNumber();
        }

        @Override
        public String map(TributaryRecord r) throws Exception {
            Thread.sleep(2);
            if (attempt == 0 && ++seen == failAfter) {
                throw new IllegalStateException("injected failure after " + failAfter + " records");
            }
            return new String(r.value, StandardCharsets.UTF_8);
        }
    }

    @Test
    void shouldLoseNothingAtLeastOnceWhenATaskFails() throws Exception {
        TestBroker broker = TestBroker.shared();
        String in = broker.newTopic("sink-in", 1);
        String out = broker.newTopic("sink-out", 3);
        broker.produce(in, 0, 0, 400, 0, 1);
        StreamExecutionEnvironment env = envWithRestarts("fixed-delay");
        env.setParallelism(1);
        env.enableCheckpointing(100);
        env.fromSource(
                        TributarySource.<TributaryRecord>builder()
                                .setBootstrapServers(broker.bootstrapServers())
                                .setTopics(in)
                                .setDeserializer(TributaryRecordDeserializationSchema.records())
                                .setBounded(OffsetsInitializer.latest())
                                .build(),
                        WatermarkStrategy.noWatermarks(),
                        "src")
                .map(new FailOnceMap(250))
                .returns(Types.STRING)
                .sinkTo(TributarySink.<String>builder()
                        .setBootstrapServers(broker.bootstrapServers())
                        .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                        .setRecordSerializer(TributaryRecordSerializationSchema.<String>builder()
                                .setTopic(out)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .setPartitioner(TributaryPartitioner.roundRobin())
                                .build())
                        .build());
        env.execute("at-least-once");
        Set<String> written = new HashSet<>();
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(out);
        records.forEach(r -> written.add(new String(r.value(), StandardCharsets.UTF_8)));
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 400; i++) {
            expected.add("0-" + i);
        }
        assertThat(written).isEqualTo(expected);
        assertThat(records.size()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void shouldFailTheJobOnAWriteTheBrokerDidNotAcknowledge() {
        TestBroker broker = TestBroker.shared();
        String out = broker.newTopic("sink-too-large", 1);
        StreamExecutionEnvironment env = envWithRestarts("none");
        env.setParallelism(1);
        String huge = "x".repeat(2 * 1024 * 1024); // beyond the producer's max.request.size of 1 MiB
        env.fromData("small", huge)
                .sinkTo(TributarySink.<String>builder()
                        .setBootstrapServers(broker.bootstrapServers())
                        .setRecordSerializer(TributaryRecordSerializationSchema.<String>builder()
                                .setTopic(out)
                                .setValueSerializationSchema(new SimpleStringSchema())
                                .build())
                        .build());
        assertThatThrownBy(() -> env.execute("too-large")).satisfies(e -> {
            IOException io = ExceptionUtils.findThrowableWithMessage(e, "not acknowledged")
                    .map(IOException.class::cast)
                    .orElseThrow();
            assertThat(io.getMessage()).contains("RecordTooLarge");
        });
    }

    @Test
    void shouldWriteKeysHeadersAndTimestampsPartitionedByKeyHash() throws Exception {
        TestBroker broker = TestBroker.shared();
        String out = broker.newTopic("sink-fields", 3);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.fromData("a", "b", "c", "d", "e", "f")
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.<String>noWatermarks().withTimestampAssigner((s, ts) -> 1_000L * s.charAt(0)))
                .sinkTo(TributarySink.<String>builder()
                        .setBootstrapServers(broker.bootstrapServers())
                        .setRecordSerializer(TributaryRecordSerializationSchema.<String>builder()
                                .setTopic(out)
                                .setKeySerializationSchema(new SimpleStringSchema())
                                .setValueSerializationSchema(s -> ("v-" + s).getBytes(StandardCharsets.UTF_8))
                                .setHeaderProvider((s, h) -> h.add("origin", s.getBytes(StandardCharsets.UTF_8)))
                                .build())
                        .build());
        env.execute("fields");
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(out);
        assertThat(records).hasSize(6);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo("v-" + key);
            assertThat(r.partition()).isEqualTo(BuiltInPartitioner.partitionForKey(r.key(), 3));
            assertThat(r.timestamp()).isEqualTo(1_000L * key.charAt(0));
            assertThat(new String(r.headers().lastHeader("origin").value(), StandardCharsets.UTF_8))
                    .isEqualTo(key);
        }
    }
}
