package dev.tributary.spark.read;

import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/** Shipped to executors; makes one {@link TributaryPartitionReader} per task. */
public final class TributaryReaderFactory implements PartitionReaderFactory {
    private final Map<String, Object> consumerConfig;
    private final ColumnLayout layout;
    private final BytesDecoder keyDecoder;
    private final BytesDecoder valueDecoder;
    private final boolean failOnDataLoss;
    private final long pollTimeoutMs;

    public TributaryReaderFactory(
            Map<String, Object> consumerConfig,
            ColumnLayout layout,
            BytesDecoder keyDecoder,
            BytesDecoder valueDecoder,
            boolean failOnDataLoss,
            long pollTimeoutMs) {
        this.consumerConfig = new java.util.HashMap<>(consumerConfig);
        this.layout = layout;
        this.keyDecoder = keyDecoder;
        this.valueDecoder = valueDecoder;
        this.failOnDataLoss = failOnDataLoss;
        this.pollTimeoutMs = pollTimeoutMs;
    }

    @Override
    public boolean supportColumnarReads(InputPartition partition) {
        return TributaryColumnarReader.supports(layout, keyDecoder, valueDecoder);
    }

    @Override
    public PartitionReader<ColumnarBatch> createColumnarReader(InputPartition partition) {
        return new TributaryColumnarReader(
                ((TributaryInputPartition) partition).range(), consumerConfig, layout, failOnDataLoss, pollTimeoutMs);
    }

    @Override
    public PartitionReader<InternalRow> createReader(InputPartition partition) {
        return new TributaryPartitionReader(
                ((TributaryInputPartition) partition).range(),
                consumerConfig,
                layout,
                keyDecoder,
                valueDecoder,
                failOnDataLoss,
                pollTimeoutMs);
    }
}
