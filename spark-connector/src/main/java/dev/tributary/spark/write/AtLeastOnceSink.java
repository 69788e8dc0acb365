package dev.tributary.spark.write;

import dev.tributary.spark.TributaryErrors;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * At-least-once: sends asynchronously on the executor's shared producer and, at task commit, flushes
 * and fails the task if any record was not acknowledged. Spark then retries the task, which sends all
 * its rows again: nothing is lost, and records acknowledged by the failed attempt appear twice.
 */
final class AtLeastOnceSink implements RecordSink, Callback {
    private final Map<String, Object> config;
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private String lastTopic = "";

    AtLeastOnceSink(Map<String, Object> config) {
        this.config = config;
        this.producer = ProducerCache.get(config);
    }

    @Override
    public void send(ProducerRecord<byte[], byte[]> record) {
        Exception e = firstError.get();
        if (e != null) {
            // fail fast: the task will be retried as a whole anyway
            throw TributaryErrors.writeFailed(record.topic(), failed.get(), e);
        }
        lastTopic = record.topic();
        producer.send(record, this);
    }

    @Override
    public void onCompletion(org.apache.kafka.clients.producer.RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            acked.incrementAndGet();
        } else {
            failed.incrementAndGet();
            firstError.compareAndSet(null, exception);
        }
    }

    @Override
    public WriterCommitMessage commit() {
        producer.flush();
        Exception e = firstError.get();
        if (e != null) {
            throw TributaryErrors.writeFailed(lastTopic, failed.get(), e);
        }
        return new Committed(acked.get());
    }

    @Override
    public void abort() {
        if (firstError.get() != null) {
            ProducerCache.invalidate(config, producer);
        }
    }

    @Override
    public void close() {
        // the producer is shared; it outlives the task
    }

    /** What a task reports to the driver: how many records the broker acknowledged. */
    record Committed(long records) implements WriterCommitMessage {}
}
