package dev.tributary.spark.write;

import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns a Spark key or value column into record bytes. The default takes {@code binary} as is and
 * {@code string} as UTF-8; a typed format (Avro from the registry) serializes a struct.
 * Created on the driver and shipped to executors; {@link #open} runs once per task.
 */
public interface BytesEncoder extends Serializable {
    /** @return null when the column type is accepted, otherwise why not */
    String checkType(DataType type);

    /** @param columnType the Spark type of the column being written (checked by {@link #checkType}) */
    default void open(DataType columnType) {}

    /** @param value a non-null value of the column's Spark type (byte[], UTF8String, InternalRow...) */
    byte[] encode(Object value);

    BytesEncoder BINARY_OR_STRING = new BinaryOrString();

    final class BinaryOrString implements BytesEncoder {
        @Override
        public String checkType(DataType type) {
            return type.equals(DataTypes.BinaryType) || type.equals(DataTypes.StringType)
                    ? null
                    : "must be binary or string, is " + type.simpleString();
        }

        @Override
        public byte[] encode(Object value) {
            return value instanceof UTF8String s ? s.getBytes() : (byte[]) value;
        }

        private Object readResolve() {
            return BINARY_OR_STRING;
        }
    }
}
