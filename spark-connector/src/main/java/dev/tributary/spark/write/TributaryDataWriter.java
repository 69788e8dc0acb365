package dev.tributary.spark.write;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.connector.write.DataWriter;
import org.apache.spark.sql.connector.write.WriterCommitMessage;

/** One write task: turns rows into records per {@link WriteLayout} and hands them to a {@link RecordSink}. */
final class TributaryDataWriter implements DataWriter<InternalRow> {
    private final WriteLayout layout;
    private final String topicOption;
    private final BytesEncoder keyEncoder;
    private final BytesEncoder valueEncoder;
    private final RecordSink sink;

    TributaryDataWriter(
            WriteLayout layout,
            String topicOption,
            BytesEncoder keyEncoder,
            BytesEncoder valueEncoder,
            RecordSink sink) {
        this.layout = layout;
        this.topicOption = topicOption;
        this.keyEncoder = keyEncoder;
        this.valueEncoder = valueEncoder;
        this.sink = sink;
        if (layout.key() >= 0) {
            keyEncoder.open(layout.keyType());
        }
        valueEncoder.open(layout.valueType());
    }

    @Override
    public void write(InternalRow row) {
        String topic = topicOption;
        if (topic == null) {
            if (row.isNullAt(layout.topic())) {
                throw dev.tributary.spark.TributaryErrors.invalidWriteSchema("topic", "null topic in a row");
            }
            topic = row.getUTF8String(layout.topic()).toString();
        }
        byte[] key = layout.key() < 0 || row.isNullAt(layout.key())
                ? null
                : keyEncoder.encode(row.get(layout.key(), layout.keyType()));
        byte[] value =
                row.isNullAt(layout.value()) ? null : valueEncoder.encode(row.get(layout.value(), layout.valueType()));
        Integer partition =
                layout.partition() < 0 || row.isNullAt(layout.partition()) ? null : row.getInt(layout.partition());
        List<Header> headers = null;
        if (layout.headers() >= 0 && !row.isNullAt(layout.headers())) {
            ArrayData array = row.getArray(layout.headers());
            headers = new ArrayList<>(array.numElements());
            for (int i = 0; i < array.numElements(); i++) {
                InternalRow h = array.getStruct(i, 2);
                headers.add(new RecordHeader(h.getUTF8String(0).toString(), h.isNullAt(1) ? null : h.getBinary(1)));
            }
        }
        sink.send(new ProducerRecord<>(topic, partition, null, key, value, headers));
    }

    @Override
    public WriterCommitMessage commit() {
        return sink.commit();
    }

    @Override
    public void abort() {
        sink.abort();
    }

    @Override
    public void close() {
        sink.close();
    }
}
