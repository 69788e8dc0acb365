package dev.tributary.flink.sink;

import java.io.Serializable;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns one element into the record to write: topic, partition (or null to let the sink's partitioner
 * decide), key, value, headers and timestamp. {@link #builder()} covers the usual cases.
 */
public interface TributaryRecordSerializationSchema<T> extends Serializable {

    /** What the sink knows when serializing. */
    interface SinkContext {
        int subtask();

        int parallelism();

        /** Current partition count of {@code topic}, from the producer's metadata. */
        int partitionCount(String topic);
    }

    default void open(SerializationSchema.InitializationContext context, SinkContext sinkContext) throws Exception {}

    /**
     * @param timestamp the element's Flink timestamp, or null when it has none
     * @return the record, or null to write nothing for this element
     */
    ProducerRecord<byte[], byte[]> serialize(T element, SinkContext context, Long timestamp);

    static <T> TributaryRecordSerializationSchemaBuilder<T> builder() {
        return new TributaryRecordSerializationSchemaBuilder<>();
    }
}
