package dev.tributary.flink.table;

import dev.tributary.flink.sink.TributaryPartitioner;
import dev.tributary.flink.sink.TributaryRecordSerializationSchema;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.table.data.ArrayData;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.MapData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Encodes a table row into a record: key columns through the key format, value columns through the
 * value format, headers and timestamp from writable metadata columns (appended after the physical ones).
 *
 * <p>Upsert mode: DELETE becomes a tombstone (key, null value); UPDATE_BEFORE writes nothing, because the
 * UPDATE_AFTER that follows replaces the key's value anyway.
 */
final class RowDataRecordSerializer implements TributaryRecordSerializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    private final String topic;
    private final SerializationSchema<RowData> keyFormat;
    private final SerializationSchema<RowData> valueFormat;
    private final int[] keyProjection;
    private final int[] valueProjection;
    private final List<LogicalType> physicalTypes;
    /** Position of the 'headers' / 'timestamp' metadata column in the consumed row, or -1. */
    private final int headersPos;

    private final int timestampPos;
    private final TributaryPartitioner<RowData> partitioner;
    private final boolean upsert;
    private transient RowData.FieldGetter[] keyGetters;
    private transient RowData.FieldGetter[] valueGetters;

    RowDataRecordSerializer(
            String topic,
            SerializationSchema<RowData> keyFormat,
            SerializationSchema<RowData> valueFormat,
            int[] keyProjection,
            int[] valueProjection,
            List<LogicalType> physicalTypes,
            int headersPos,
            int timestampPos,
            TributaryPartitioner<RowData> partitioner,
            boolean upsert) {
        this.topic = topic;
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.physicalTypes = physicalTypes;
        this.headersPos = headersPos;
        this.timestampPos = timestampPos;
        this.partitioner = partitioner;
        this.upsert = upsert;
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, SinkContext sinkContext) throws Exception {
        if (keyFormat != null) {
            keyFormat.open(context);
        }
        valueFormat.open(context);
        keyGetters = getters(keyProjection);
        valueGetters = getters(valueProjection);
        partitioner.open(sinkContext.subtask(), sinkContext.parallelism());
    }

    private RowData.FieldGetter[] getters(int[] projection) {
        RowData.FieldGetter[] g = new RowData.FieldGetter[projection.length];
        for (int i = 0; i < projection.length; i++) {
            g[i] = RowData.createFieldGetter(physicalTypes.get(projection[i]), projection[i]);
        }
        return g;
    }

    private static GenericRowData project(RowData row, RowData.FieldGetter[] getters, RowKind kind) {
        GenericRowData out = new GenericRowData(kind, getters.length);
        for (int i = 0; i < getters.length; i++) {
            out.setField(i, getters[i].getFieldOrNull(row));
        }
        return out;
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(RowData row, SinkContext context, Long flinkTimestamp) {
        RowKind kind = row.getRowKind();
        if (upsert && kind == RowKind.UPDATE_BEFORE) {
            return null;
        }
        byte[] key = keyFormat == null ? null : keyFormat.serialize(project(row, keyGetters, RowKind.INSERT));
        byte[] value;
        if (upsert) {
            value = kind == RowKind.DELETE ? null : valueFormat.serialize(project(row, valueGetters, RowKind.INSERT));
        } else {
            value = valueFormat.serialize(project(row, valueGetters, kind));
        }
        Long ts = timestampPos >= 0 && !row.isNullAt(timestampPos)
                ? row.getTimestamp(timestampPos, 3).getMillisecond()
                : null;
        RecordHeaders headers = null;
        if (headersPos >= 0 && !row.isNullAt(headersPos)) {
            headers = new RecordHeaders();
            MapData map = row.getMap(headersPos);
            ArrayData keys = map.keyArray();
            ArrayData values = map.valueArray();
            for (int i = 0; i < map.size(); i++) {
                headers.add(keys.getString(i).toString(), values.isNullAt(i) ? null : values.getBinary(i));
            }
        }
        int partition = partitioner.partition(row, key, value, topic, context.partitionCount(topic));
        return new ProducerRecord<>(topic, partition, ts, key, value, headers);
    }
}
