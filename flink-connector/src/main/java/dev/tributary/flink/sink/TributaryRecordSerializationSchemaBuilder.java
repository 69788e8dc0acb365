package dev.tributary.flink.sink;

import java.io.Serializable;
import java.util.Objects;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds a {@link TributaryRecordSerializationSchema} from parts: a fixed topic or a per-element topic
 * selector, value and optional key formats, a partitioner (default: {@link TributaryPartitioner#keyHash()}),
 * optional headers, and the element's Flink timestamp as the record timestamp (else the producer's clock).
 */
public final class TributaryRecordSerializationSchemaBuilder<T> {

    /** Picks the topic of an element. */
    @FunctionalInterface
    public interface TopicSelector<T> extends Serializable {
        String topic(T element);
    }

    /** Adds headers for an element. */
    @FunctionalInterface
    public interface HeaderProvider<T> extends Serializable {
        void addHeaders(T element, Headers headers);
    }

    private TopicSelector<T> topicSelector;
    private SerializationSchema<T> valueSchema;
    private SerializationSchema<T> keySchema;
    private TributaryPartitioner<T> partitioner = TributaryPartitioner.keyHash();
    private HeaderProvider<T> headers;

    TributaryRecordSerializationSchemaBuilder() {}

    public TributaryRecordSerializationSchemaBuilder<T> setTopic(String topic) {
        Objects.requireNonNull(topic, "topic");
        return setTopicSelector(e -> topic);
    }

    public TributaryRecordSerializationSchemaBuilder<T> setTopicSelector(TopicSelector<T> selector) {
        this.topicSelector = Objects.requireNonNull(selector, "selector");
        return this;
    }

    public TributaryRecordSerializationSchemaBuilder<T> setValueSerializationSchema(SerializationSchema<T> schema) {
        this.valueSchema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    public TributaryRecordSerializationSchemaBuilder<T> setKeySerializationSchema(SerializationSchema<T> schema) {
        this.keySchema = Objects.requireNonNull(schema, "schema");
        return this;
    }

    public TributaryRecordSerializationSchemaBuilder<T> setPartitioner(TributaryPartitioner<T> partitioner) {
        this.partitioner = Objects.requireNonNull(partitioner, "partitioner");
        return this;
    }

    public TributaryRecordSerializationSchemaBuilder<T> setHeaderProvider(HeaderProvider<T> provider) {
        this.headers = Objects.requireNonNull(provider, "provider");
        return this;
    }

    public TributaryRecordSerializationSchema<T> build() {
        if (topicSelector == null) {
            throw new IllegalStateException("no topic: call setTopic or setTopicSelector");
        }
        if (valueSchema == null) {
            throw new IllegalStateException("no value format: call setValueSerializationSchema");
        }
        return new Built<>(topicSelector, valueSchema, keySchema, partitioner, headers);
    }

    private static final class Built<T> implements TributaryRecordSerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final TopicSelector<T> topicSelector;
        private final SerializationSchema<T> valueSchema;
        private final SerializationSchema<T> keySchema;
        private final TributaryPartitioner<T> partitioner;
        private final HeaderProvider<T> headers;

        Built(
                TopicSelector<T> topicSelector,
                SerializationSchema<T> valueSchema,
                SerializationSchema<T> keySchema,
                TributaryPartitioner<T> partitioner,
                HeaderProvider<T> headers) {
            this.topicSelector = topicSelector;
            this.valueSchema = valueSchema;
            this.keySchema = keySchema;
            this.partitioner = partitioner;
            this.headers = headers;
        }

        @Override
        public void open(SerializationSchema.InitializationContext context, SinkContext sinkContext) throws Exception {
            valueSchema.open(context);
            if (keySchema != null) {
                keySchema.open(context);
            }
            partitioner.open(sinkContext.subtask(), sinkContext.parallelism());
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(T element, SinkContext context, Long timestamp) {
            String topic = topicSelector.topic(element);
            byte[] key = keySchema == null ? null : keySchema.serialize(element);
            byte[] value = valueSchema.serialize(element);
            int partition = partitioner.partition(element, key, value, topic, context.partitionCount(topic));
            Headers h = null;
            if (headers != null) {
                h = new RecordHeaders();
                headers.addHeaders(element, h);
            }
            return new ProducerRecord<>(topic, partition, timestamp, key, value, h);
        }
    }
}
