package dev.tributary.spark.avro;

import dev.tributary.serde.AvroDeserializer;
import dev.tributary.serde.AvroSerdeConfig;
import dev.tributary.spark.read.BytesDecoder;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.DataType;

/**
 * Decodes registry-framed Avro (Confluent or single-object framing, told apart by the first byte) into the
 * Spark type of the table's schema. The writer schema comes from the registry by id; the table's schema
 * is the reader schema, so older records are resolved to it by Avro's schema evolution rules. The
 * GenericRecord to InternalRow step is spark-avro's AvroDeserializer.
 */
public final class AvroBytesDecoder implements BytesDecoder {
    private final String registryUrl;
    private final String topic;
    private final boolean isKey;
    private final String schemaJson;
    private final DataType dataType;

    private transient AvroDeserializer<Object> serde;
    private transient org.apache.spark.sql.avro.AvroDeserializer toSpark;

    public AvroBytesDecoder(String registryUrl, String topic, boolean isKey, Schema schema) {
        this.registryUrl = registryUrl;
        this.topic = topic;
        this.isKey = isKey;
        this.schemaJson = schema.toString();
        this.dataType = AvroSchemas.sparkType(schema);
    }

    @Override
    public DataType dataType() {
        return dataType;
    }

    @Override
    public void open() {
        if (serde != null) {
            return;
        }
        Schema schema = new Schema.Parser().parse(schemaJson);
        serde = new AvroDeserializer<>();
        serde.configure(
                Map.of(AvroSerdeConfig.REGISTRY_URL, registryUrl, AvroSerdeConfig.READER_SCHEMA, schemaJson), isKey);
        // CORRECTED: dates/timestamps are proleptic Gregorian as written by Avro 1.9+ writers
        toSpark = new org.apache.spark.sql.avro.AvroDeserializer(schema, dataType, "CORRECTED", false, "member_", -1);
    }

    @Override
    public Object decode(byte[] bytes) {
        Object datum = serde.deserialize(topic, bytes);
        return datum == null ? null : toSpark.deserialize(datum).getOrElse(() -> null);
    }
}
