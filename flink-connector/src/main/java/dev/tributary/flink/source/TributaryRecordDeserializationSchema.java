package dev.tributary.flink.source;

import java.io.IOException;
import java.io.Serializable;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns a fetched record into zero or more output values. It sees the whole record: key, value, headers,
 * topic, partition, offset, timestamp and timestamp type.
 *
 * <p>{@link #valueOnly(DeserializationSchema)} adapts a plain Flink format; {@link #records()} emits
 * every field as a {@link TributaryRecord}.
 */
public interface TributaryRecordDeserializationSchema<T> extends Serializable, ResultTypeQueryable<T> {

    default void open(DeserializationSchema.InitializationContext context) throws Exception {}

    void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) throws IOException;

    /** Only the value, through a Flink {@link DeserializationSchema}; tombstones (null values) are skipped. */
    static <T> TributaryRecordDeserializationSchema<T> valueOnly(DeserializationSchema<T> valueSchema) {
        return new ValueOnly<>(valueSchema);
    }

    /** Every field of the record, as a {@link TributaryRecord}. */
    static TributaryRecordDeserializationSchema<TributaryRecord> records() {
        return new Full();
    }

    final class ValueOnly<T> implements TributaryRecordDeserializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final DeserializationSchema<T> schema;

        ValueOnly(DeserializationSchema<T> schema) {
            this.schema = schema;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) throws Exception {
            schema.open(context);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<T> out) throws IOException {
            if (record.value() != null) {
                schema.deserialize(record.value(), out);
            }
        }

        @Override
        public TypeInformation<T> getProducedType() {
            return schema.getProducedType();
        }
    }

    final class Full implements TributaryRecordDeserializationSchema<TributaryRecord> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TributaryRecord> out) {
            out.collect(TributaryRecord.of(record));
        }

        @Override
        public TypeInformation<TributaryRecord> getProducedType() {
            return TypeInformation.of(TributaryRecord.class);
        }
    }
}
