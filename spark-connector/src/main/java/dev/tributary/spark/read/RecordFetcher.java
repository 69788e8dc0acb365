package dev.tributary.spark.read;

import dev.tributary.spark.TributaryErrors;
import dev.tributary.spark.client.ConsumerPool;
import dev.tributary.spark.offsets.DataLossPolicy;
import dev.tributary.spark.offsets.OffsetRange;
import java.time.Duration;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

/**
 * The records of {@code [from, until)} of one topic-partition, read with a pooled consumer in assign
 * mode. Shared by the row and the columnar reader; one task, one thread.
 *
 * <p>The range ends when the consumer's position reaches {@code until}, not when a record with offset
 * {@code until - 1} arrives: compaction and transaction markers leave offsets without records.
 *
 * <p>Data loss: when the broker refuses the next offset as out of range (retention or DeleteRecords
 * moved the log start past it, or the log now ends before it), {@link DataLossPolicy} decides whether the
 * task fails or where it continues.
 */
final class RecordFetcher implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(500);

    private final OffsetRange range;
    private final TopicPartition tp;
    private final ConsumerPool.Key key;
    private final DataLossPolicy dataLoss;
    private final long pollTimeoutMs;

    private KafkaConsumer<byte[], byte[]> consumer;
    private Iterator<ConsumerRecord<byte[], byte[]>> buffered = Collections.emptyIterator();
    private long nextOffset;
    private long recordsRead;
    private boolean failed;

    RecordFetcher(
            OffsetRange range,
            Map<String, Object> consumerConfig,
            ColumnLayout layout,
            boolean failOnDataLoss,
            long pollTimeoutMs) {
        this.range = range;
        this.tp = range.topicPartition();
        this.key = new ConsumerPool.Key(
                consumerConfig, tp, layout.reads(ColumnLayout.Column.KEY), layout.reads(ColumnLayout.Column.VALUE));
        this.dataLoss = new DataLossPolicy(failOnDataLoss);
        this.pollTimeoutMs = pollTimeoutMs;
        this.nextOffset = range.from();
    }

    TopicPartition topicPartition() {
        return tp;
    }

    long recordsRead() {
        return recordsRead;
    }

    /** @return the next record of the range, or null when the range is done */
    ConsumerRecord<byte[], byte[]> next() {
        try {
            return advance();
        } catch (RuntimeException e) {
            failed = true; // the consumer may be mid-request or interrupted: do not pool it
            throw e;
        }
    }

    private ConsumerRecord<byte[], byte[]> advance() {
        while (true) {
            if (buffered.hasNext()) {
                ConsumerRecord<byte[], byte[]> r = buffered.next();
                if (r.offset() >= range.until()) {
                    buffered = Collections.emptyIterator();
                    nextOffset = range.until();
                    return null;
                }
                nextOffset = r.offset() + 1;
                recordsRead++;
                return r;
            }
            if (nextOffset >= range.until() || !fetch()) {
                return null;
            }
        }
    }

    /** Polls until records arrive; returns false when the range turns out to be finished. */
    private boolean fetch() {
        if (consumer == null) {
            consumer = ConsumerPool.borrow(key);
            consumer.assign(List.of(tp));
            consumer.seek(tp, nextOffset);
        }
        long deadline = System.currentTimeMillis() + pollTimeoutMs;
        while (true) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(POLL);
            } catch (OffsetOutOfRangeException e) {
                long before = nextOffset;
                if (!skipLostOffsets()) {
                    return false;
                }
                if (nextOffset == before && System.currentTimeMillis() > deadline) {
                    // refused although the offset is inside the log, again and again: give up as for a stuck fetch
                    throw TributaryErrors.fetchTimeout(tp, nextOffset, range.until(), pollTimeoutMs);
                }
                continue;
            }
            if (!records.isEmpty()) {
                buffered = records.records(tp).iterator();
                return true;
            }
            long position = consumer.position(tp);
            if (position >= range.until()) {
                nextOffset = range.until();
                return false;
            }
            if (position > nextOffset) {
                nextOffset = position; // markers or compacted-away offsets
                deadline = System.currentTimeMillis() + pollTimeoutMs;
            }
            if (System.currentTimeMillis() > deadline) {
                long earliest = consumer.beginningOffsets(List.of(tp)).get(tp);
                if (earliest > position) {
                    if (!skipLostOffsets()) {
                        return false;
                    }
                    continue;
                }
                throw TributaryErrors.fetchTimeout(tp, position, range.until(), pollTimeoutMs);
            }
        }
    }

    /** Applies the data-loss policy at the current position; false when nothing of the range is left. */
    private boolean skipLostOffsets() {
        long earliest = consumer.beginningOffsets(List.of(tp)).get(tp);
        long latest = consumer.endOffsets(List.of(tp)).get(tp);
        nextOffset = dataLoss.resumeAfterOutOfRange(tp, nextOffset, earliest, latest, range.until());
        if (nextOffset >= range.until()) {
            nextOffset = range.until();
            return false;
        }
        consumer.seek(tp, nextOffset);
        return true;
    }

    @Override
    public void close() {
        if (consumer == null) {
            return;
        }
        if (failed) {
            ConsumerPool.discard(consumer);
        } else {
            ConsumerPool.release(key, consumer);
        }
        consumer = null;
    }
}
