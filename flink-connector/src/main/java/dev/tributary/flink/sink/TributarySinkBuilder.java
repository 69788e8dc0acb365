package dev.tributary.flink.sink;

import java.util.Objects;
import java.util.Properties;
import org.apache.flink.connector.base.DeliveryGuarantee;

/** Builds a {@link TributarySink}. Defaults: AT_LEAST_ONCE, Kafka producer defaults (acks=all). */
public final class TributarySinkBuilder<IN> {

    private final Properties props = new Properties();
    private TributaryRecordSerializationSchema<IN> serializer;
    private DeliveryGuarantee guarantee = DeliveryGuarantee.AT_LEAST_ONCE;

    TributarySinkBuilder() {}

    public TributarySinkBuilder<IN> setBootstrapServers(String servers) {
        return setProperty("bootstrap.servers", servers);
    }

    /** Any Kafka producer property. */
    public TributarySinkBuilder<IN> setProperty(String key, String value) {
        props.setProperty(key, value);
        return this;
    }

    public TributarySinkBuilder<IN> setProperties(Properties properties) {
        properties.stringPropertyNames().forEach(k -> props.setProperty(k, properties.getProperty(k)));
        return this;
    }

    public TributarySinkBuilder<IN> setRecordSerializer(TributaryRecordSerializationSchema<IN> serializer) {
        this.serializer = Objects.requireNonNull(serializer, "serializer");
        return this;
    }

    public TributarySinkBuilder<IN> setDeliveryGuarantee(DeliveryGuarantee guarantee) {
        Objects.requireNonNull(guarantee, "guarantee");
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            throw new UnsupportedOperationException(exactlyOnceMessage());
        }
        this.guarantee = guarantee;
        return this;
    }

    /** Shared with the table factory so SQL users see the same words. */
    public static String exactlyOnceMessage() {
        return "TributarySink does not support EXACTLY_ONCE yet: it needs Kafka transactions, which the Tributary "
                + "broker does not implement. Use AT_LEAST_ONCE (flush on checkpoint, fail on unacknowledged writes) "
                + "and make the consumer idempotent, or NONE.";
    }

    public TributarySink<IN> build() {
        if (props.getProperty("bootstrap.servers") == null) {
            throw new IllegalStateException("bootstrap.servers is required: call setBootstrapServers");
        }
        if (serializer == null) {
            throw new IllegalStateException("no record serializer: call setRecordSerializer");
        }
        Properties copy = new Properties();
        copy.putAll(props);
        return new TributarySink<>(copy, serializer, guarantee);
    }
}
