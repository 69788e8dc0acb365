package dev.tributary.flink.sink;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink subtask's writer. {@code write} and {@code flush} run on the task thread; producer callbacks
 * run on the producer's I/O thread and only record the first failure, which the task thread rethrows at
 * its next write or flush (AT_LEAST_ONCE). Flink calls {@code flush} before every checkpoint barrier, so
 * a checkpoint completes only after every earlier record was acknowledged.
 */
final class TributaryWriter<IN> implements SinkWriter<IN> {

    private static final Logger LOG = LoggerFactory.getLogger(TributaryWriter.class);
    /** Partition counts are re-read this often so partitions added to a topic get used. */
    private static final long PARTITION_REFRESH_MS = 60_000;

    private final KafkaProducer<byte[], byte[]> producer;
    private final TributaryRecordSerializationSchema<IN> serializer;
    private final DeliveryGuarantee guarantee;
    private final Counter recordsOut;
    private final Counter bytesOut;
    private final Counter recordsOutErrors;
    private final Map<String, int[]> partitionCounts = new HashMap<>();
    private final Map<String, Long> partitionCountReadAt = new HashMap<>();
    private final Callback callback;
    private final TributaryRecordSerializationSchema.SinkContext sinkContext;
    private volatile Exception asyncError;

    TributaryWriter(
            Properties props,
            TributaryRecordSerializationSchema<IN> serializer,
            DeliveryGuarantee guarantee,
            WriterInitContext context)
            throws IOException {
        Properties p = new Properties();
        p.putAll(props);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        int parallelism = context.getTaskInfo().getNumberOfParallelSubtasks();
        p.put("client.id", p.getProperty("client.id", "tributary-sink") + "-" + subtask);
        this.producer = new KafkaProducer<>(p);
        this.serializer = serializer;
        this.guarantee = guarantee;
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.recordsOut = metrics.getNumRecordsSendCounter();
        this.bytesOut = metrics.getNumBytesSendCounter();
        this.recordsOutErrors = metrics.getNumRecordsOutErrorsCounter();
        this.sinkContext = new TributaryRecordSerializationSchema.SinkContext() {
            @Override
            public int subtask() {
                return subtask;
            }

            @Override
            public int parallelism() {
                return parallelism;
            }

            @Override
            public int partitionCount(String topic) {
                return partitionsOf(topic);
            }
        };
        try {
            serializer.open(context.asSerializationSchemaInitializationContext(), sinkContext);
        } catch (Exception e) {
            producer.close(Duration.ZERO);
            throw new IOException("cannot open the sink's record serializer: " + e.getMessage(), e);
        }
        this.callback = this::onCompletion;
    }

    private void onCompletion(RecordMetadata metadata, Exception error) {
        if (error == null) {
            return;
        }
        recordsOutErrors.inc();
        if (guarantee == DeliveryGuarantee.NONE) {
            LOG.warn("Write to {} failed and is dropped (delivery guarantee NONE)", metadata, error);
        } else if (asyncError == null) {
            asyncError = error;
        }
    }

    private int partitionsOf(String topic) {
        long now = System.currentTimeMillis();
        Long readAt = partitionCountReadAt.get(topic);
        if (readAt == null || now - readAt > PARTITION_REFRESH_MS) {
            // partitionsFor blocks until the producer has metadata for the topic (max.block.ms).
            int n = producer.partitionsFor(topic).size();
            partitionCounts.put(topic, new int[] {n});
            partitionCountReadAt.put(topic, now);
        }
        return partitionCounts.get(topic)[0];
    }

    @Override
    public void write(IN element, Context context) throws IOException {
        checkAsyncError();
        ProducerRecord<byte[], byte[]> record = serializer.serialize(element, sinkContext, context.timestamp());
        if (record == null) {
            return;
        }
        producer.send(record, callback);
        recordsOut.inc();
        bytesOut.inc((record.key() == null ? 0 : record.key().length)
                + (record.value() == null ? 0 : record.value().length));
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (guarantee != DeliveryGuarantee.NONE || endOfInput) {
            producer.flush();
        }
        checkAsyncError();
    }

    private void checkAsyncError() throws IOException {
        Exception e = asyncError;
        if (e != null) {
            throw new IOException(
                    "a record written by TributarySink was not acknowledged by the broker (" + guarantee
                            + " fails the job so that it restarts from its last checkpoint): " + e,
                    e);
        }
    }

    @Override
    public void close() throws Exception {
        producer.close(Duration.ofSeconds(guarantee == DeliveryGuarantee.NONE ? 0 : 30));
    }
}
