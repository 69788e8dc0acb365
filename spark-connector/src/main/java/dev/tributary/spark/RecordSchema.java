package dev.tributary.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The row schema of the {@code tributary} format, the same as spark-sql-kafka's so queries carry over:
 *
 * <pre>
 *  key binary | value binary | topic string | partition int | offset long | timestamp timestamp |
 *  timestampType int (0 CreateTime, 1 LogAppendTime) | headers array&lt;struct&lt;key string, value binary&gt;&gt;
 * </pre>
 * {@code headers} is present only with {@code includeHeaders=true}.
 */
public final class RecordSchema {
    public static final String KEY = "key";
    public static final String VALUE = "value";
    public static final String TOPIC = "topic";
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";
    public static final String TIMESTAMP = "timestamp";
    public static final String TIMESTAMP_TYPE = "timestampType";
    public static final String HEADERS = "headers";

    public static final StructType HEADER =
            new StructType().add("key", DataTypes.StringType, false).add("value", DataTypes.BinaryType, true);
    public static final ArrayType HEADERS_TYPE = DataTypes.createArrayType(HEADER, false);

    private static final StructType BASE = new StructType()
            .add(KEY, DataTypes.BinaryType, true)
            .add(VALUE, DataTypes.BinaryType, true)
            .add(TOPIC, DataTypes.StringType, true)
            .add(PARTITION, DataTypes.IntegerType, true)
            .add(OFFSET, DataTypes.LongType, true)
            .add(TIMESTAMP, DataTypes.TimestampType, true)
            .add(TIMESTAMP_TYPE, DataTypes.IntegerType, true);

    private RecordSchema() {}

    public static StructType of(boolean includeHeaders) {
        return includeHeaders ? BASE.add(HEADERS, HEADERS_TYPE, true) : BASE;
    }

    /** The schema with typed key/value columns (a struct for Avro) in place of binary. */
    public static StructType of(boolean includeHeaders, DataType keyType, DataType valueType) {
        StructField[] fields = of(includeHeaders).fields().clone();
        fields[0] = new StructField(KEY, keyType, true, Metadata.empty());
        fields[1] = new StructField(VALUE, valueType, true, Metadata.empty());
        return new StructType(fields);
    }
}
