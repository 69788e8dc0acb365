package dev.tributary.flink.catalog;

import dev.tributary.flink.format.TributaryAvroFormatFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.flink.formats.avro.typeutils.AvroSchemaConverter;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.DataTypeUtils;

/**
 * Maps a topic and its registered Avro schemas to a table, and a table back to a value schema. No I/O.
 *
 * <p>Table shape: the value record's fields as columns; when {@code <topic>-key} holds a record schema,
 * its fields first, prefixed {@value #KEY_PREFIX}; then read-only metadata columns {@code record_topic},
 * {@code record_partition}, {@code record_offset} and {@code record_time} (the record timestamp, with a
 * watermark {@code record_time - watermarkDelay} (whole seconds) so windowed SQL works with no DDL).
 */
public final class TopicTableMapper {

    public static final String KEY_PREFIX = "key_";
    public static final String TIME_COLUMN = "record_time";

    private TopicTableMapper() {}

    /** The table of {@code topic}; {@code keySchema} may be null. */
    public static CatalogTable toTable(
            String topic,
            Schema valueSchema,
            Schema keySchema,
            String bootstrapServers,
            String registryUrl,
            Duration watermarkDelay) {
        if (valueSchema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("subject " + topic + "-value holds a " + valueSchema.getType()
                    + " schema; only record schemas map to table columns");
        }
        org.apache.flink.table.api.Schema.Builder schema = org.apache.flink.table.api.Schema.newBuilder();
        Map<String, String> options = new HashMap<>();
        options.put("connector", "tributary");
        options.put("topic", topic);
        options.put("properties.bootstrap.servers", bootstrapServers);
        options.put("scan.startup.mode", "earliest-offset");
        List<String> keyFields = new ArrayList<>();
        if (keySchema != null && keySchema.getType() == Schema.Type.RECORD) {
            RowType keyRow = (RowType)
                    AvroSchemaConverter.convertToDataType(keySchema.toString()).getLogicalType();
            for (RowType.RowField f : keyRow.getFields()) {
                schema.column(KEY_PREFIX + f.getName(), DataTypes.of(f.getType()));
                keyFields.add(KEY_PREFIX + f.getName());
            }
            options.put("key.format", TributaryAvroFormatFactory.IDENTIFIER);
            options.put("key.fields", String.join(";", keyFields));
            options.put("key.fields-prefix", KEY_PREFIX);
            options.put("value.fields-include", "EXCEPT_KEY");
            options.put("key." + TributaryAvroFormatFactory.IDENTIFIER + ".url", registryUrl);
            options.put("key." + TributaryAvroFormatFactory.IDENTIFIER + ".subject", topic + "-key");
            options.put("key." + TributaryAvroFormatFactory.IDENTIFIER + ".schema", keySchema.toString());
        }
        DataType value = AvroSchemaConverter.convertToDataType(valueSchema.toString());
        for (RowType.RowField f : ((RowType) value.getLogicalType()).getFields()) {
            schema.column(f.getName(), DataTypes.of(f.getType()));
        }
        options.put("value.format", TributaryAvroFormatFactory.IDENTIFIER);
        options.put("value." + TributaryAvroFormatFactory.IDENTIFIER + ".url", registryUrl);
        options.put("value." + TributaryAvroFormatFactory.IDENTIFIER + ".subject", topic + "-value");
        options.put("value." + TributaryAvroFormatFactory.IDENTIFIER + ".schema", valueSchema.toString());
        schema.columnByMetadata("record_topic", DataTypes.STRING().notNull(), "topic", true);
        schema.columnByMetadata("record_partition", DataTypes.INT().notNull(), "partition", true);
        schema.columnByMetadata("record_offset", DataTypes.BIGINT().notNull(), "offset", true);
        schema.columnByMetadata(TIME_COLUMN, DataTypes.TIMESTAMP_LTZ(3).notNull(), "timestamp", true);
        schema.watermark(TIME_COLUMN, TIME_COLUMN + " - INTERVAL '" + watermarkDelay.toSeconds() + "' SECOND");
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment("Tributary topic " + topic + " (schema from subject " + topic + "-value)")
                .options(options)
                .build();
    }

    /** The value schema for a table created in the catalog: its physical columns as an Avro record. */
    public static Schema valueSchemaOf(String topic, DataType physicalRow) {
        LogicalType t = physicalRow.getLogicalType();
        String recordName = topic.replaceAll("[^A-Za-z0-9_]", "_");
        if (!Character.isLetter(recordName.charAt(0)) && recordName.charAt(0) != '_') {
            recordName = "_" + recordName;
        }
        return AvroSchemaConverter.convertToSchema(t, recordName);
    }

    /** Physical column names of a resolved table schema, in order. */
    public static List<String> names(DataType row) {
        return DataTypeUtils.flattenToNames(row);
    }
}
