package dev.tributary.spark.read;

import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * Turns the bytes of a record key or value into the Spark value of its column. The default keeps the
 * bytes ({@code binary}); a typed format (Avro from the registry) decodes into a struct.
 *
 * <p>Created on the driver, serialized to executors; {@link #open()} runs once per task before the first
 * {@link #decode} so implementations can build non-serializable state there.
 */
public interface BytesDecoder extends Serializable {
    DataType dataType();

    default void open() {}

    /** @param bytes never null */
    Object decode(byte[] bytes);

    BytesDecoder BINARY = new Binary();

    final class Binary implements BytesDecoder {
        @Override
        public DataType dataType() {
            return DataTypes.BinaryType;
        }

        @Override
        public Object decode(byte[] bytes) {
            return bytes;
        }

        private Object readResolve() {
            return BINARY;
        }
    }
}
