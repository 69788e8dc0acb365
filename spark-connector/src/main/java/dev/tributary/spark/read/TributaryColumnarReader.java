package dev.tributary.spark.read;

import dev.tributary.spark.offsets.OffsetRange;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * Columnar reader for scans of the plain binary schema without headers: records go straight into
 * column vectors, {@link #BATCH_ROWS} at a time, and Spark's generated code reads the vectors. That skips
 * the per-row object and the unsafe-row copy the row path needs; a {@code count(*)} reads no column at all.
 * The vectors are reused from batch to batch (Spark consumes a batch before asking for the next).
 */
final class TributaryColumnarReader implements PartitionReader<ColumnarBatch> {
    static final int BATCH_ROWS = 4096;

    private final RecordFetcher fetcher;
    private final ColumnLayout.Column[] columns;
    private final OnHeapColumnVector[] vectors;
    private final ColumnarBatch batch;
    private final byte[] topic;

    TributaryColumnarReader(
            OffsetRange range,
            Map<String, Object> consumerConfig,
            ColumnLayout layout,
            boolean failOnDataLoss,
            long pollTimeoutMs) {
        this.fetcher = new RecordFetcher(range, consumerConfig, layout, failOnDataLoss, pollTimeoutMs);
        this.columns = layout.columns();
        this.vectors = new OnHeapColumnVector[columns.length];
        for (int i = 0; i < columns.length; i++) {
            vectors[i] = new OnHeapColumnVector(
                    BATCH_ROWS,
                    switch (columns[i]) {
                        case KEY, VALUE -> DataTypes.BinaryType;
                        case TOPIC -> DataTypes.StringType;
                        case PARTITION, TIMESTAMP_TYPE -> DataTypes.IntegerType;
                        case OFFSET -> DataTypes.LongType;
                        case TIMESTAMP -> DataTypes.TimestampType;
                        case HEADERS -> throw new IllegalArgumentException("headers are read by the row reader");
                    });
        }
        this.batch = new ColumnarBatch(vectors);
        this.topic = range.topicPartition().topic().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether a scan with these columns and coders can be read column by column. */
    static boolean supports(ColumnLayout layout, BytesDecoder keyDecoder, BytesDecoder valueDecoder) {
        return !layout.reads(ColumnLayout.Column.HEADERS)
                && keyDecoder instanceof BytesDecoder.Binary
                && valueDecoder instanceof BytesDecoder.Binary;
    }

    @Override
    public boolean next() {
        for (OnHeapColumnVector v : vectors) {
            v.reset();
        }
        int n = 0;
        ConsumerRecord<byte[], byte[]> r;
        while (n < BATCH_ROWS && (r = fetcher.next()) != null) {
            for (int i = 0; i < columns.length; i++) {
                OnHeapColumnVector v = vectors[i];
                switch (columns[i]) {
                    case KEY -> putBytes(v, n, r.key());
                    case VALUE -> putBytes(v, n, r.value());
                    case TOPIC -> v.putByteArray(n, topic);
                    case PARTITION -> v.putInt(n, r.partition());
                    case OFFSET -> v.putLong(n, r.offset());
                    case TIMESTAMP -> v.putLong(n, r.timestamp() * 1000L); // Spark timestamps are microseconds
                    case TIMESTAMP_TYPE -> v.putInt(n, TributaryPartitionReader.timestampType(r));
                    default -> throw new IllegalStateException("unexpected column " + columns[i]);
                }
            }
            n++;
        }
        batch.setNumRows(n);
        return n > 0;
    }

    private static void putBytes(OnHeapColumnVector v, int row, byte[] bytes) {
        if (bytes == null) {
            v.putNull(row);
        } else {
            v.putByteArray(row, bytes);
        }
    }

    @Override
    public ColumnarBatch get() {
        return batch;
    }

    @Override
    public CustomTaskMetric[] currentMetricsValues() {
        return new CustomTaskMetric[] {RecordsReadMetric.value(fetcher.recordsRead())};
    }

    @Override
    public void close() {
        fetcher.close();
        batch.close();
    }
}
