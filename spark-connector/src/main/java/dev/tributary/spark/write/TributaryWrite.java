package dev.tributary.spark.write;

import dev.tributary.spark.TributaryErrors;
import dev.tributary.spark.TributaryOptions;
import dev.tributary.spark.client.ClientConfigs;
import org.apache.spark.sql.connector.write.BatchWrite;
import org.apache.spark.sql.connector.write.DataWriterFactory;
import org.apache.spark.sql.connector.write.PhysicalWriteInfo;
import org.apache.spark.sql.connector.write.Write;
import org.apache.spark.sql.connector.write.WriterCommitMessage;
import org.apache.spark.sql.connector.write.streaming.StreamingDataWriterFactory;
import org.apache.spark.sql.connector.write.streaming.StreamingWrite;
import org.apache.spark.sql.types.StructType;

/**
 * A batch or streaming write with at-least-once delivery: each task's records are acknowledged before
 * the task commits, and the driver-side commit has nothing left to do. See {@link RecordSink} for where
 * an exactly-once (transactional) variant plugs in; {@code deliveryGuarantee=exactly-once} is rejected
 * until the broker has transactions.
 */
public final class TributaryWrite implements Write, BatchWrite, StreamingWrite {
    private final TributaryOptions options;
    private final WriteLayout layout;
    private final BytesEncoder keyEncoder;
    private final BytesEncoder valueEncoder;

    public TributaryWrite(
            TributaryOptions options, StructType schema, BytesEncoder keyEncoder, BytesEncoder valueEncoder) {
        String guarantee = options.get(TributaryOptions.DELIVERY_GUARANTEE);
        if (guarantee != null && !guarantee.equalsIgnoreCase("at-least-once")) {
            throw TributaryErrors.invalidOption(
                    TributaryOptions.DELIVERY_GUARANTEE,
                    guarantee,
                    "only at-least-once is supported (exactly-once needs broker transactions)");
        }
        options.bootstrapServers();
        this.options = options;
        this.keyEncoder = keyEncoder;
        this.valueEncoder = valueEncoder;
        this.layout = WriteLayout.of(schema, options.topic(), keyEncoder, valueEncoder);
    }

    @Override
    public String description() {
        return "TributaryWrite[at-least-once" + (options.topic() == null ? "" : ", topic=" + options.topic()) + "]";
    }

    @Override
    public BatchWrite toBatch() {
        return this;
    }

    @Override
    public StreamingWrite toStreaming() {
        return this;
    }

    private TributaryWriterFactory factory() {
        return new TributaryWriterFactory(
                ClientConfigs.producer(options.clientParams()), layout, options.topic(), keyEncoder, valueEncoder);
    }

    @Override
    public DataWriterFactory createBatchWriterFactory(PhysicalWriteInfo info) {
        return factory();
    }

    @Override
    public StreamingDataWriterFactory createStreamingWriterFactory(PhysicalWriteInfo info) {
        return factory();
    }

    @Override
    public boolean useCommitCoordinator() {
        return false; // at-least-once: a second committing attempt only duplicates, it cannot lose
    }

    @Override
    public void commit(WriterCommitMessage[] messages) {}

    @Override
    public void abort(WriterCommitMessage[] messages) {}

    @Override
    public void commit(long epochId, WriterCommitMessage[] messages) {}

    @Override
    public void abort(long epochId, WriterCommitMessage[] messages) {}
}
