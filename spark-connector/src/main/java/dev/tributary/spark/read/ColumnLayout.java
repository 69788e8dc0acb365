package dev.tributary.spark.read;

import dev.tributary.spark.RecordSchema;
import java.io.Serializable;
import java.util.Arrays;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Which record fields a scan outputs, in the order of the (pruned) read schema. Readers fill only these,
 * and skip copying keys or values nobody reads.
 */
public final class ColumnLayout implements Serializable {
    public enum Column {
        KEY,
        VALUE,
        TOPIC,
        PARTITION,
        OFFSET,
        TIMESTAMP,
        TIMESTAMP_TYPE,
        HEADERS
    }

    private final Column[] columns;

    private ColumnLayout(Column[] columns) {
        this.columns = columns;
    }

    public static ColumnLayout of(StructType readSchema) {
        Column[] cols = new Column[readSchema.fields().length];
        StructField[] fields = readSchema.fields();
        for (int i = 0; i < fields.length; i++) {
            cols[i] = switch (fields[i].name()) {
                case RecordSchema.KEY -> Column.KEY;
                case RecordSchema.VALUE -> Column.VALUE;
                case RecordSchema.TOPIC -> Column.TOPIC;
                case RecordSchema.PARTITION -> Column.PARTITION;
                case RecordSchema.OFFSET -> Column.OFFSET;
                case RecordSchema.TIMESTAMP -> Column.TIMESTAMP;
                case RecordSchema.TIMESTAMP_TYPE -> Column.TIMESTAMP_TYPE;
                case RecordSchema.HEADERS -> Column.HEADERS;
                default -> throw new IllegalArgumentException("not a tributary column: " + fields[i].name());
            };
        }
        return new ColumnLayout(cols);
    }

    public Column[] columns() {
        return columns;
    }

    public boolean reads(Column c) {
        return Arrays.asList(columns).contains(c);
    }
}
