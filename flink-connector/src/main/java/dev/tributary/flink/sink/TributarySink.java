package dev.tributary.flink.sink;

import java.io.IOException;
import java.util.Properties;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * A Sink V2 writing to Tributary (or any Kafka-protocol broker) with one KafkaProducer per subtask.
 * Build it with {@link #builder()}.
 *
 * <p>Delivery: {@link DeliveryGuarantee#NONE} fires and forgets (failed writes are logged and counted);
 * {@link DeliveryGuarantee#AT_LEAST_ONCE} flushes the producer before every checkpoint completes and
 * fails the job on any write the broker did not acknowledge, so a restart from the checkpoint replays
 * everything unacknowledged. EXACTLY_ONCE needs broker transactions and is rejected by the builder.
 */
public final class TributarySink<IN> implements Sink<IN> {

    private static final long serialVersionUID = 1L;

    private final Properties producerProps;
    private final TributaryRecordSerializationSchema<IN> serializer;
    private final DeliveryGuarantee guarantee;

    TributarySink(
            Properties producerProps, TributaryRecordSerializationSchema<IN> serializer, DeliveryGuarantee guarantee) {
        this.producerProps = producerProps;
        this.serializer = serializer;
        this.guarantee = guarantee;
    }

    public static <IN> TributarySinkBuilder<IN> builder() {
        return new TributarySinkBuilder<>();
    }

    @Override
    public SinkWriter<IN> createWriter(WriterInitContext context) throws IOException {
        return new TributaryWriter<>(producerProps, serializer, guarantee, context);
    }

    public DeliveryGuarantee deliveryGuarantee() {
        return guarantee;
    }
}
