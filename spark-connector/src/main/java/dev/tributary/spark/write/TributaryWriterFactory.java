package dev.tributary.spark.write;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.streaming.StreamingDataWriterFactory;

/** Shipped to executors; one writer per task, for batch and streaming writes alike. */
final class TributaryWriterFactory implements DataWriterFactory, StreamingDataWriterFactory {
    private final Map<String, Object> producerConfig;
    private final WriteLayout layout;
    private final String topicOption;
    private final BytesEncoder keyEncoder;
    private final BytesEncoder valueEncoder;

    TributaryWriterFactory(
            Map<String, Object> producerConfig,
            WriteLayout layout,
            String topicOption,
            BytesEncoder keyEncoder,
            BytesEncoder valueEncoder) {
        this.producerConfig = new HashMap<>(producerConfig);
        this.layout = layout;
        this.topicOption = topicOption;
        this.keyEncoder = keyEncoder;
        this.valueEncoder = valueEncoder;
    }

    @Override
    public DataWriter<InternalRow> createWriter(int partitionId, long taskId) {
        return new TributaryDataWriter(
                layout, topicOption, keyEncoder, valueEncoder, new AtLeastOnceSink(producerConfig));
    }

    @Override
    public DataWriter<InternalRow> createWriter(int partitionId, long taskId, long epochId) {
        return createWriter(partitionId, taskId);
    }
}
