package dev.tributary.flink.table;

import dev.tributary.flink.sink.TributaryPartitioner;
import dev.tributary.flink.sink.TributarySink;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.format.EncodingFormat;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.connector.sink.abilities.SupportsWritingMetadata;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.DataType;
import org.apache.flink.types.RowKind;

/** The table sink behind {@code tributary} and {@code upsert-tributary}: a {@link TributarySink} of RowData. */
final class TributaryDynamicSink implements DynamicTableSink, SupportsWritingMetadata {

    record Spec(
            DataType physicalType,
            EncodingFormat<SerializationSchema<RowData>> keyFormat,
            EncodingFormat<SerializationSchema<RowData>> valueFormat,
            int[] keyProjection,
            int[] valueProjection,
            String keyPrefix,
            String topic,
            Properties props,
            TributaryPartitioner<RowData> partitioner,
            DeliveryGuarantee guarantee,
            Integer parallelism,
            boolean upsert) {}

    private static final Map<String, DataType> WRITABLE = new LinkedHashMap<>();

    static {
        WRITABLE.put(
                "headers",
                DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable())
                        .nullable());
        WRITABLE.put("timestamp", DataTypes.TIMESTAMP_LTZ(3).nullable());
    }

    private final Spec spec;
    private List<String> metadataKeys = List.of();

    TributaryDynamicSink(Spec spec) {
        this.spec = spec;
    }

    @Override
    public ChangelogMode getChangelogMode(ChangelogMode requested) {
        if (spec.upsert()) {
            return ChangelogMode.newBuilder()
                    .addContainedKind(RowKind.INSERT)
                    .addContainedKind(RowKind.UPDATE_AFTER)
                    .addContainedKind(RowKind.DELETE)
                    .build();
        }
        return spec.valueFormat().getChangelogMode();
    }

    @Override
    public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
        SerializationSchema<RowData> key = spec.keyProjection().length == 0
                ? null
                : spec.keyFormat().createRuntimeEncoder(context, formatType(spec.keyProjection(), spec.keyPrefix()));
        SerializationSchema<RowData> value =
                spec.valueFormat().createRuntimeEncoder(context, formatType(spec.valueProjection(), null));
        int physical = TableOptionsResolver.fieldTypes(spec.physicalType()).size();
        int headersPos = metadataKeys.indexOf("headers");
        int timestampPos = metadataKeys.indexOf("timestamp");
        RowDataRecordSerializer serializer = new RowDataRecordSerializer(
                spec.topic(),
                key,
                value,
                spec.keyProjection(),
                spec.valueProjection(),
                TableOptionsResolver.fieldTypes(spec.physicalType()),
                headersPos < 0 ? -1 : physical + headersPos,
                timestampPos < 0 ? -1 : physical + timestampPos,
                spec.partitioner(),
                spec.upsert());
        TributarySink<RowData> sink = TributarySink.<RowData>builder()
                .setProperties(spec.props())
                .setDeliveryGuarantee(spec.guarantee())
                .setRecordSerializer(serializer)
                .build();
        return SinkV2Provider.of(sink, spec.parallelism());
    }

    private DataType formatType(int[] projection, String prefix) {
        return TableOptionsResolver.formatType(spec.physicalType(), projection, prefix);
    }

    @Override
    public Map<String, DataType> listWritableMetadata() {
        return WRITABLE;
    }

    @Override
    public void applyWritableMetadata(List<String> keys, DataType consumedDataType) {
        this.metadataKeys = List.copyOf(keys);
    }

    @Override
    public DynamicTableSink copy() {
        TributaryDynamicSink c = new TributaryDynamicSink(spec);
        c.metadataKeys = metadataKeys;
        return c;
    }

    @Override
    public String asSummaryString() {
        return spec.upsert() ? "upsert-tributary" : "tributary";
    }
}
