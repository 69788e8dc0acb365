package dev.tributary.spark.read;

import dev.tributary.spark.offsets.OffsetRange;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Row reader: one reused row per record, filled with only the columns the query reads. Used for typed
 * (decoded) columns and headers; plain binary scans use {@link TributaryColumnarReader}.
 */
final class TributaryPartitionReader implements PartitionReader<InternalRow> {
    private final RecordFetcher fetcher;
    private final ColumnLayout.Column[] columns;
    private final BytesDecoder keyDecoder;
    private final BytesDecoder valueDecoder;
    private final UTF8String topic;
    private final GenericInternalRow row;

    TributaryPartitionReader(
            OffsetRange range,
            Map<String, Object> consumerConfig,
            ColumnLayout layout,
            BytesDecoder keyDecoder,
            BytesDecoder valueDecoder,
            boolean failOnDataLoss,
            long pollTimeoutMs) {
        this.fetcher = new RecordFetcher(range, consumerConfig, layout, failOnDataLoss, pollTimeoutMs);
        this.columns = layout.columns();
        this.keyDecoder = keyDecoder;
        this.valueDecoder = valueDecoder;
        this.topic = UTF8String.fromString(range.topicPartition().topic());
        this.row = new GenericInternalRow(columns.length);
        keyDecoder.open();
        valueDecoder.open();
    }

    @Override
    public boolean next() {
        ConsumerRecord<byte[], byte[]> r = fetcher.next();
        if (r == null) {
            return false;
        }
        fill(r);
        return true;
    }

    private void fill(ConsumerRecord<byte[], byte[]> r) {
        for (int i = 0; i < columns.length; i++) {
            switch (columns[i]) {
                case KEY -> row.update(i, r.key() == null ? null : keyDecoder.decode(r.key()));
                case VALUE -> row.update(i, r.value() == null ? null : valueDecoder.decode(r.value()));
                case TOPIC -> row.update(i, topic);
                case PARTITION -> row.setInt(i, r.partition());
                case OFFSET -> row.setLong(i, r.offset());
                case TIMESTAMP -> row.setLong(i, r.timestamp() * 1000L); // Spark timestamps are microseconds
                case TIMESTAMP_TYPE -> row.setInt(i, timestampType(r));
                case HEADERS -> row.update(i, headers(r));
                default -> throw new IllegalStateException("unknown column " + columns[i]);
            }
        }
    }

    static int timestampType(ConsumerRecord<?, ?> r) {
        return r.timestampType() == TimestampType.LOG_APPEND_TIME ? 1 : 0;
    }

    private static GenericArrayData headers(ConsumerRecord<byte[], byte[]> r) {
        Header[] hs = r.headers().toArray();
        Object[] out = new Object[hs.length];
        for (int i = 0; i < hs.length; i++) {
            out[i] = new GenericInternalRow(new Object[] {UTF8String.fromString(hs[i].key()), hs[i].value()});
        }
        return new GenericArrayData(out);
    }

    @Override
    public InternalRow get() {
        return row;
    }

    @Override
    public CustomTaskMetric[] currentMetricsValues() {
        return new CustomTaskMetric[] {RecordsReadMetric.value(fetcher.recordsRead())};
    }

    @Override
    public void close() {
        fetcher.close();
    }
}
