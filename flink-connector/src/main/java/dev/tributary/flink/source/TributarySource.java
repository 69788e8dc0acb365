package dev.tributary.flink.source;

import dev.tributary.flink.source.enumerator.EnumeratorSettings;
import dev.tributary.flink.source.enumerator.TributaryEnumerator;
import dev.tributary.flink.source.enumerator.TributaryEnumeratorState;
import dev.tributary.flink.source.enumerator.TributaryEnumeratorStateSerializer;
import dev.tributary.flink.source.metrics.TributarySourceMetrics;
import dev.tributary.flink.source.reader.GroupOffsetCommitter;
import dev.tributary.flink.source.reader.TributaryRecordEmitter;
import dev.tributary.flink.source.reader.TributarySourceReader;
import dev.tributary.flink.source.reader.TributarySplitReader;
import dev.tributary.flink.source.split.TributarySplit;
import dev.tributary.flink.source.split.TributarySplitSerializer;
import java.time.Duration;
import java.util.Properties;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.UserCodeClassLoader;

/**
 * A FLIP-27 source reading Tributary (or any Kafka-protocol broker) topics. Build it with
 * {@link #builder()}; see {@link TributarySourceBuilder} for every option and its default.
 */
public final class TributarySource<T>
        implements Source<T, TributarySplit, TributaryEnumeratorState>, ResultTypeQueryable<T> {

    private static final long serialVersionUID = 1L;

    private final EnumeratorSettings enumeratorSettings;
    private final TributaryRecordDeserializationSchema<T> deserializer;
    private final Properties clientProps;
    private final String groupId;
    private final boolean commitOffsetsOnCheckpoint;
    private final boolean failOnDataLoss;
    private final Duration partitionIdleTimeout;

    TributarySource(
            EnumeratorSettings enumeratorSettings,
            TributaryRecordDeserializationSchema<T> deserializer,
            Properties clientProps,
            String groupId,
            boolean commitOffsetsOnCheckpoint,
            boolean failOnDataLoss,
            Duration partitionIdleTimeout) {
        this.enumeratorSettings = enumeratorSettings;
        this.deserializer = deserializer;
        this.clientProps = clientProps;
        this.groupId = groupId;
        this.commitOffsetsOnCheckpoint = commitOffsetsOnCheckpoint;
        this.failOnDataLoss = failOnDataLoss;
        this.partitionIdleTimeout = partitionIdleTimeout;
    }

    public static <T> TributarySourceBuilder<T> builder() {
        return new TributarySourceBuilder<>();
    }

    @Override
    public Boundedness getBoundedness() {
        return enumeratorSettings.bounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<T, TributarySplit> createReader(SourceReaderContext context) throws Exception {
        deserializer.open(new DeserializationSchema.InitializationContext() {
            @Override
            public MetricGroup getMetricGroup() {
                return context.metricGroup().addGroup("deserializer");
            }

            @Override
            public UserCodeClassLoader getUserCodeClassLoader() {
                return context.getUserCodeClassLoader();
            }
        });
        TributarySourceMetrics metrics = new TributarySourceMetrics(context.metricGroup());
        Properties consumerProps = new Properties();
        consumerProps.putAll(clientProps);
        String clientIdPrefix = clientProps.getProperty("client.id", "tributary-source");
        consumerProps.put("client.id", clientIdPrefix + "-" + context.getIndexOfSubtask());
        GroupOffsetCommitter committer = commitOffsetsOnCheckpoint && groupId != null
                ? new GroupOffsetCommitter(clientProps, groupId, metrics)
                : null;
        return new TributarySourceReader<>(
                () -> new TributarySplitReader(
                        consumerProps, failOnDataLoss, partitionIdleTimeout, metrics, System::nanoTime),
                new TributaryRecordEmitter<>(deserializer, metrics),
                context.getConfiguration(),
                context,
                committer);
    }

    @Override
    public SplitEnumerator<TributarySplit, TributaryEnumeratorState> createEnumerator(
            SplitEnumeratorContext<TributarySplit> context) {
        return new TributaryEnumerator(context, enumeratorSettings, null);
    }

    @Override
    public SplitEnumerator<TributarySplit, TributaryEnumeratorState> restoreEnumerator(
            SplitEnumeratorContext<TributarySplit> context, TributaryEnumeratorState checkpoint) {
        return new TributaryEnumerator(context, enumeratorSettings, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<TributarySplit> getSplitSerializer() {
        return new TributarySplitSerializer();
    }

    @Override
    public SimpleVersionedSerializer<TributaryEnumeratorState> getEnumeratorCheckpointSerializer() {
        return new TributaryEnumeratorStateSerializer();
    }

    @Override
    public TypeInformation<T> getProducedType() {
        return deserializer.getProducedType();
    }

    /** The settings the enumerator runs with; visible for tests and the table source. */
    public EnumeratorSettings enumeratorSettings() {
        return enumeratorSettings;
    }
}
