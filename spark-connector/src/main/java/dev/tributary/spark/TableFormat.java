package dev.tributary.spark;

import dev.tributary.spark.avro.AvroBytesDecoder;
import dev.tributary.spark.avro.AvroBytesEncoder;
import dev.tributary.spark.avro.AvroSchemas;
import dev.tributary.spark.read.BytesDecoder;
import dev.tributary.spark.write.BytesEncoder;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * How a table's keys and values look in Spark: {@code binary} (the default, as in spark-sql-kafka) or,
 * with {@code keyFormat}/{@code valueFormat=avro}, typed columns from the topic's registry schema (or a
 * {@code keySchema}/{@code valueSchema} option). Decided on the driver; the coders travel to executors.
 */
public record TableFormat(
        StructType schema,
        BytesDecoder keyDecoder,
        BytesDecoder valueDecoder,
        BytesEncoder keyEncoder,
        BytesEncoder valueEncoder) {
    public static final String KEY_FORMAT = "keyFormat";
    public static final String VALUE_FORMAT = "valueFormat";
    public static final String KEY_SCHEMA = "keySchema";
    public static final String VALUE_SCHEMA = "valueSchema";
    public static final String REGISTRY_URL = "schema.registry.url";

    public static TableFormat of(TributaryOptions options) {
        boolean avroKey = isAvro(options, KEY_FORMAT);
        boolean avroValue = isAvro(options, VALUE_FORMAT);
        if (!avroKey && !avroValue) {
            return binary(options.includeHeaders());
        }
        String topic = singleTopic(options);
        String registry = options.get(REGISTRY_URL);
        BytesDecoder keyDecoder = BytesDecoder.BINARY;
        BytesEncoder keyEncoder = BytesEncoder.BINARY_OR_STRING;
        BytesDecoder valueDecoder = BytesDecoder.BINARY;
        BytesEncoder valueEncoder = BytesEncoder.BINARY_OR_STRING;
        if (avroKey) {
            Schema s = AvroSchemas.resolve(registry, options.get(KEY_SCHEMA), topic, true);
            keyDecoder = new AvroBytesDecoder(registry, topic, true, s);
            keyEncoder = new AvroBytesEncoder(registry, topic, true, s);
        }
        if (avroValue) {
            Schema s = AvroSchemas.resolve(registry, options.get(VALUE_SCHEMA), topic, false);
            valueDecoder = new AvroBytesDecoder(registry, topic, false, s);
            valueEncoder = new AvroBytesEncoder(registry, topic, false, s);
        }
        return new TableFormat(
                RecordSchema.of(options.includeHeaders(), keyDecoder.dataType(), valueDecoder.dataType()),
                keyDecoder,
                valueDecoder,
                keyEncoder,
                valueEncoder);
    }

    public static TableFormat binary(boolean includeHeaders) {
        return new TableFormat(
                RecordSchema.of(includeHeaders),
                BytesDecoder.BINARY,
                BytesDecoder.BINARY,
                BytesEncoder.BINARY_OR_STRING,
                BytesEncoder.BINARY_OR_STRING);
    }

    /** Typed values of one topic whose registry subject has the given schema (the catalog's tables). */
    public static TableFormat avroValues(String registry, String topic, Schema valueSchema) {
        AvroBytesDecoder decoder = new AvroBytesDecoder(registry, topic, false, valueSchema);
        return new TableFormat(
                RecordSchema.of(false, DataTypes.BinaryType, decoder.dataType()),
                BytesDecoder.BINARY,
                decoder,
                BytesEncoder.BINARY_OR_STRING,
                new AvroBytesEncoder(registry, topic, false, valueSchema));
    }

    private static boolean isAvro(TributaryOptions options, String key) {
        String v = options.get(key);
        if (v == null || v.equalsIgnoreCase("binary")) {
            return false;
        }
        if (v.toLowerCase(Locale.ROOT).equals("avro")) {
            return true;
        }
        throw TributaryErrors.invalidOption(key, v, "expected binary or avro");
    }

    /** Avro tables are per topic: the topic option (writes) or a one-topic subscription. */
    private static String singleTopic(TributaryOptions options) {
        if (options.topic() != null) {
            return options.topic();
        }
        Subscription s = options.subscription();
        if (s instanceof Subscription.Topics t && t.topics().size() == 1) {
            return t.topics().get(0);
        }
        if (s instanceof Subscription.Assign a
                && a.partitions().stream().map(tp -> tp.topic()).distinct().count() == 1) {
            return a.partitions().get(0).topic();
        }
        throw TributaryErrors.invalidOption(
                VALUE_FORMAT,
                "avro",
                "typed columns need exactly one topic (subscribe=<topic> or the topic option), got " + s);
    }
}
