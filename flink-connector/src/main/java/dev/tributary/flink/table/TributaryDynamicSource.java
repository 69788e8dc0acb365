package dev.tributary.flink.table;

import dev.tributary.flink.source.TributarySource;
import dev.tributary.flink.source.TributarySourceBuilder;
import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.ProviderContext;
import org.apache.flink.table.connector.format.DecodingFormat;
import org.apache.flink.table.connector.source.DataStreamScanProvider;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.abilities.SupportsReadingMetadata;
import org.apache.flink.table.connector.source.abilities.SupportsWatermarkPushDown;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;

/**
 * The table source behind {@code tributary} and {@code upsert-tributary}: a {@link TributarySource} of
 * RowData, with metadata columns and the table's watermark strategy pushed into the source (so it runs
 * per partition, next to the reader, and idle partitions do not hold it back).
 */
final class TributaryDynamicSource implements ScanTableSource, SupportsReadingMetadata, SupportsWatermarkPushDown {

    /** Everything the factory resolved from the options. */
    record Spec(
            DataType physicalType,
            DecodingFormat<DeserializationSchema<RowData>> keyFormat,
            DecodingFormat<DeserializationSchema<RowData>> valueFormat,
            int[] keyProjection,
            int[] valueProjection,
            String keyPrefix,
            List<String> topics,
            String topicPattern,
            Properties props,
            OffsetsInitializer start,
            OffsetsInitializer stop,
            Duration discovery,
            boolean failOnDataLoss,
            Duration idleTimeout,
            long backfillSplitSize,
            Integer parallelism,
            boolean upsert,
            String tableName) {}

    private final Spec spec;
    private List<String> metadataKeys = List.of();
    private DataType producedType;
    private WatermarkStrategy<RowData> watermarkStrategy;

    TributaryDynamicSource(Spec spec) {
        this.spec = spec;
        this.producedType = spec.physicalType();
    }

    @Override
    public ChangelogMode getChangelogMode() {
        if (spec.upsert()) {
            return ChangelogMode.newBuilder()
                    .addContainedKind(RowKind.UPDATE_AFTER)
                    .addContainedKind(RowKind.DELETE)
                    .addContainedKind(RowKind.INSERT)
                    .build();
        }
        return spec.valueFormat().getChangelogMode();
    }

    @Override
    public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
        DeserializationSchema<RowData> key = spec.keyProjection().length == 0
                ? null
                : spec.keyFormat().createRuntimeDecoder(context, formatType(spec.keyProjection(), spec.keyPrefix()));
        DeserializationSchema<RowData> value =
                spec.valueFormat().createRuntimeDecoder(context, formatType(spec.valueProjection(), null));
        ReadableMetadata[] metadata =
                metadataKeys.stream().map(ReadableMetadata::ofKey).toArray(ReadableMetadata[]::new);
        TypeInformation<RowData> typeInfo = context.createTypeInformation(producedType);
        RowDataRecordDeserializer deserializer = new RowDataRecordDeserializer(
                key,
                value,
                spec.keyProjection(),
                spec.valueProjection(),
                TableOptionsResolver.fieldTypes(spec.physicalType()),
                metadata,
                spec.upsert(),
                typeInfo);

        TributarySourceBuilder<RowData> b = TributarySource.<RowData>builder()
                .setProperties(spec.props())
                .setDeserializer(deserializer)
                .setStartingOffsets(spec.start())
                .setFailOnDataLoss(spec.failOnDataLoss())
                .setPartitionIdleTimeout(spec.idleTimeout())
                .setBackfillSplitSize(spec.backfillSplitSize())
                .setPartitionDiscoveryInterval(spec.discovery());
        if (spec.topicPattern() != null) {
            b.setTopicPattern(Pattern.compile(spec.topicPattern()));
        } else {
            b.setTopics(spec.topics().toArray(new String[0]));
        }
        if (spec.stop() != null) {
            b.setBounded(spec.stop());
        }
        TributarySource<RowData> source = b.build();
        WatermarkStrategy<RowData> wm =
                watermarkStrategy != null ? watermarkStrategy : WatermarkStrategy.noWatermarks();
        return new DataStreamScanProvider() {
            @Override
            public DataStream<RowData> produceDataStream(ProviderContext provider, StreamExecutionEnvironment env) {
                DataStreamSource<RowData> stream = env.fromSource(source, wm, "Tributary: " + spec.tableName());
                provider.generateUid("tributary-source").ifPresent(stream::uid);
                if (spec.parallelism() != null) {
                    stream.setParallelism(spec.parallelism());
                }
                return stream;
            }

            @Override
            public boolean isBounded() {
                return spec.stop() != null;
            }
        };
    }

    private DataType formatType(int[] projection, String prefix) {
        return TableOptionsResolver.formatType(spec.physicalType(), projection, prefix);
    }

    @Override
    public Map<String, DataType> listReadableMetadata() {
        Map<String, DataType> m = new LinkedHashMap<>();
        for (ReadableMetadata r : ReadableMetadata.values()) {
            m.put(r.key, r.type);
        }
        return m;
    }

    @Override
    public void applyReadableMetadata(List<String> keys, DataType producedDataType) {
        this.metadataKeys = new ArrayList<>(keys);
        this.producedType = producedDataType;
    }

    @Override
    public void applyWatermark(WatermarkStrategy<RowData> strategy) {
        this.watermarkStrategy = strategy;
    }

    @Override
    public DynamicTableSource copy() {
        TributaryDynamicSource c = new TributaryDynamicSource(spec);
        c.metadataKeys = metadataKeys;
        c.producedType = producedType;
        c.watermarkStrategy = watermarkStrategy;
        return c;
    }

    @Override
    public String asSummaryString() {
        return spec.upsert() ? "upsert-tributary" : "tributary";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TributaryDynamicSource)) {
            return false;
        }
        TributaryDynamicSource s = (TributaryDynamicSource) o;
        return spec.equals(s.spec)
                && metadataKeys.equals(s.metadataKeys)
                && producedType.equals(s.producedType)
                && Objects.equals(watermarkStrategy, s.watermarkStrategy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, metadataKeys, producedType);
    }
}
