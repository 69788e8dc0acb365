package dev.tributary.spark.write;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/**
 * How one write task hands records to the broker, and what "commit" means for them. Spark calls
 * {@link #commit()} when the task has written every row, {@link #abort()} when it failed.
 *
 * <p>{@link AtLeastOnceSink} is the only kind today: records are acknowledged at task commit and a
 * retried task may write some records twice. An exactly-once sink slots in here once the broker has
 * transactions: a transactional producer per (query, partition, epoch) sends in {@link #send}, its
 * {@link #commit()} flushes and returns the producer id/epoch in the commit message, and the driver-side
 * {@code BatchWrite.commit}/{@code StreamingWrite.commit} commits all tasks' transactions (or aborts
 * them), so nothing else in the write path changes.
 */
public interface RecordSink extends AutoCloseable {
    void send(ProducerRecord<byte[], byte[]> record);

    /** Blocks until every record sent is acknowledged; throws TRIBUTARY_WRITE_FAILED if any was not. */
    WriterCommitMessage commit();

    /** Best effort: records already acknowledged stay in the topic. */
    void abort();

    @Override
    void close();
}
