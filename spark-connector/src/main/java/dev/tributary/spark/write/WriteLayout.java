package dev.tributary.spark.write;

import dev.tributary.spark.RecordSchema;
import dev.tributary.spark.TributaryErrors;
import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where each record field sits in the rows being written (-1 when absent), checked once on the driver:
 * {@code value} (required), {@code key}, {@code topic} (required unless the {@code topic} option is set;
 * the option wins), {@code partition} int, {@code headers} array&lt;struct&lt;key string, value
 * binary&gt;&gt;. Other columns are ignored, as in spark-sql-kafka.
 */
public record WriteLayout(
        int key, int value, int topic, int partition, int headers, DataType keyType, DataType valueType)
        implements Serializable {

    public static WriteLayout of(
            StructType schema, String topicOption, BytesEncoder keyEncoder, BytesEncoder valueEncoder) {
        int value = index(schema, RecordSchema.VALUE);
        if (value < 0) {
            throw TributaryErrors.invalidWriteSchema(
                    RecordSchema.VALUE, "required, but the data has only " + String.join(", ", schema.fieldNames()));
        }
        DataType valueType = schema.fields()[value].dataType();
        String why = valueEncoder.checkType(valueType);
        if (why != null) {
            throw TributaryErrors.invalidWriteSchema(RecordSchema.VALUE, why);
        }
        int key = index(schema, RecordSchema.KEY);
        DataType keyType = key < 0 ? null : schema.fields()[key].dataType();
        if (key >= 0 && (why = keyEncoder.checkType(keyType)) != null) {
            throw TributaryErrors.invalidWriteSchema(RecordSchema.KEY, why);
        }
        int topic = index(schema, RecordSchema.TOPIC);
        if (topic >= 0 && !schema.fields()[topic].dataType().equals(DataTypes.StringType)) {
            throw TributaryErrors.invalidWriteSchema(
                    RecordSchema.TOPIC,
                    "must be string, is " + schema.fields()[topic].dataType().simpleString());
        }
        if (topicOption != null) {
            topic = -1;
        } else if (topic < 0) {
            throw TributaryErrors.invalidWriteSchema(RecordSchema.TOPIC, "no topic column and no 'topic' option");
        }
        int partition = index(schema, RecordSchema.PARTITION);
        if (partition >= 0 && !schema.fields()[partition].dataType().equals(DataTypes.IntegerType)) {
            throw TributaryErrors.invalidWriteSchema(
                    RecordSchema.PARTITION,
                    "must be int, is " + schema.fields()[partition].dataType().simpleString());
        }
        int headers = index(schema, RecordSchema.HEADERS);
        if (headers >= 0 && !sameHeaders(schema.fields()[headers].dataType())) {
            throw TributaryErrors.invalidWriteSchema(
                    RecordSchema.HEADERS,
                    "must be array<struct<key: string, value: binary>>," + " is "
                            + schema.fields()[headers].dataType().simpleString());
        }
        return new WriteLayout(key, value, topic, partition, headers, keyType, valueType);
    }

    private static boolean sameHeaders(DataType t) {
        return t instanceof org.apache.spark.sql.types.ArrayType a
                && a.elementType() instanceof StructType s
                && s.fields().length == 2
                && s.fields()[0].dataType().equals(DataTypes.StringType)
                && s.fields()[1].dataType().equals(DataTypes.BinaryType);
    }

    private static int index(StructType schema, String name) {
        String[] names = schema.fieldNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
