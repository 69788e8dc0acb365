package dev.tributary.flink.source.reader;

import dev.tributary.flink.source.TributaryRecordDeserializationSchema;
import dev.tributary.flink.source.metrics.TributarySourceMetrics;
import dev.tributary.flink.source.split.TributarySplitState;
import java.io.IOException;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Deserializes a record into its split's output with the record's timestamp, then advances the split's
 * offset. Runs on the task thread; one reusable collector, no per-record allocation here.
 */
public final class TributaryRecordEmitter<T>
        implements RecordEmitter<ConsumerRecord<byte[], byte[]>, T, TributarySplitState> {

    private final TributaryRecordDeserializationSchema<T> deserializer;
    private final TributarySourceMetrics metrics;
    private final TimestampedCollector<T> collector = new TimestampedCollector<>();

    public TributaryRecordEmitter(
            TributaryRecordDeserializationSchema<T> deserializer, TributarySourceMetrics metrics) {
        this.deserializer = deserializer;
        this.metrics = metrics;
    }

    @Override
    public void emitRecord(ConsumerRecord<byte[], byte[]> record, SourceOutput<T> output, TributarySplitState state)
            throws Exception {
        if (record == TributarySplitReader.IDLE_MARKER) {
            output.markIdle();
            metrics.uncountIdleMarker(); // the reader base counted it in numRecordsIn
            return;
        }
        metrics.bytesIn(Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize()));
        collector.output = output;
        collector.timestamp = record.timestamp();
        try {
            deserializer.deserialize(record, collector);
        } catch (DownstreamFailure e) {
            throw e.getCause(); // a failure of the operators after the source, not of this record's bytes
        } catch (IOException | RuntimeException e) {
            throw new IOException(
                    "cannot deserialize record " + record.topic() + "-" + record.partition() + " offset "
                            + record.offset() + ": " + e.getMessage(),
                    e);
        }
        state.setNextOffset(record.offset() + 1);
        TributarySourceMetrics.PartitionGauges gauges = state.gauges();
        if (gauges == null) {
            gauges = metrics.gauges(state.split().topicPartition());
            state.setGauges(gauges);
        }
        gauges.currentOffset(record.offset() + 1);
    }

    /** Forwards to the split's output, stamping the record timestamp when it has one. */
    private static final class TimestampedCollector<T> implements Collector<T> {
        SourceOutput<T> output;
        long timestamp;

        @Override
        public void collect(T value) {
            try {
                if (timestamp == ConsumerRecord.NO_TIMESTAMP) {
                    output.collect(value);
                } else {
                    output.collect(value, timestamp);
                }
            } catch (RuntimeException e) {
                throw new DownstreamFailure(e);
            }
        }

        @Override
        public void close() {}
    }

    /** Carries an exception thrown downstream of the source through the deserializer, unwrapped by emitRecord. */
    private static final class DownstreamFailure extends RuntimeException {
        DownstreamFailure(RuntimeException cause) {
            super(cause);
        }

        @Override
        public synchronized RuntimeException getCause() {
            return (RuntimeException) super.getCause();
        }
    }
}
