package dev.tributary.flink.table;

import dev.tributary.flink.source.TributaryRecordDeserializationSchema;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Decodes a record into a table row: key columns from the key format, value columns from the value
 * format, then the requested metadata columns appended after the physical ones.
 *
 * <p>Upsert mode: a value becomes an UPDATE_AFTER for its key; a tombstone (null value) becomes a DELETE
 * carrying only the key columns. Outside upsert mode tombstones carry no row and are skipped.
 */
final class RowDataRecordDeserializer implements TributaryRecordDeserializationSchema<RowData> {

    private static final long serialVersionUID = 1L;

    private final DeserializationSchema<RowData> keyFormat;
    private final DeserializationSchema<RowData> valueFormat;
    private final int[] keyProjection;
    private final int[] valueProjection;
    private final List<LogicalType> physicalTypes;
    private final ReadableMetadata[] metadata;
    private final boolean upsert;
    private final TypeInformation<RowData> producedType;
    private transient RowData.FieldGetter[] keyGetters;
    private transient RowData.FieldGetter[] valueGetters;
    private transient ValueCollector valueCollector;

    RowDataRecordDeserializer(
            DeserializationSchema<RowData> keyFormat,
            DeserializationSchema<RowData> valueFormat,
            int[] keyProjection,
            int[] valueProjection,
            List<LogicalType> physicalTypes,
            ReadableMetadata[] metadata,
            boolean upsert,
            TypeInformation<RowData> producedType) {
        this.keyFormat = keyFormat;
        this.valueFormat = valueFormat;
        this.keyProjection = keyProjection;
        this.valueProjection = valueProjection;
        this.physicalTypes = physicalTypes;
        this.metadata = metadata;
        this.upsert = upsert;
        this.producedType = producedType;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) throws Exception {
        if (keyFormat != null) {
            keyFormat.open(context);
        }
        valueFormat.open(context);
        keyGetters = getters(keyProjection);
        valueGetters = getters(valueProjection);
        valueCollector = new ValueCollector();
    }

    private RowData.FieldGetter[] getters(int[] projection) {
        RowData.FieldGetter[] g = new RowData.FieldGetter[projection.length];
        for (int i = 0; i < projection.length; i++) {
            g[i] = RowData.createFieldGetter(physicalTypes.get(projection[i]), i);
        }
        return g;
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RowData> out) throws IOException {
        RowData key = keyFormat == null || record.key() == null ? null : keyFormat.deserialize(record.key());
        if (record.value() == null) {
            if (upsert && key != null) {
                GenericRowData row = newRow(record, key);
                row.setRowKind(RowKind.DELETE);
                out.collect(row);
            }
            return;
        }
        valueCollector.record = record;
        valueCollector.key = key;
        valueCollector.out = out;
        valueFormat.deserialize(record.value(), valueCollector);
    }

    private GenericRowData newRow(ConsumerRecord<byte[], byte[]> record, RowData key) {
        GenericRowData row = new GenericRowData(physicalTypes.size() + metadata.length);
        if (key != null) {
            for (int i = 0; i < keyProjection.length; i++) {
                row.setField(keyProjection[i], keyGetters[i].getFieldOrNull(key));
            }
        }
        for (int i = 0; i < metadata.length; i++) {
            row.setField(physicalTypes.size() + i, metadata[i].read(record));
        }
        return row;
    }

    /** Receives each row the value format decodes (changelog formats may yield several per record). */
    private final class ValueCollector implements Collector<RowData> {
        ConsumerRecord<byte[], byte[]> record;
        RowData key;
        Collector<RowData> out;

        @Override
        public void collect(RowData value) {
            if (value == null) {
                return;
            }
            GenericRowData row = newRow(record, key);
            for (int i = 0; i < valueProjection.length; i++) {
                row.setField(valueProjection[i], valueGetters[i].getFieldOrNull(value));
            }
            RowKind kind = value.getRowKind();
            row.setRowKind(upsert && kind == RowKind.INSERT ? RowKind.UPDATE_AFTER : kind);
            out.collect(row);
        }

        @Override
        public void close() {}
    }

    @Override
    public TypeInformation<RowData> getProducedType() {
        return producedType;
    }
}
