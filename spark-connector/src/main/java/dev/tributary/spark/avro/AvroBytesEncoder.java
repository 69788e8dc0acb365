package dev.tributary.spark.avro;

import dev.tributary.serde.AvroSerdeConfig;
import dev.tributary.serde.AvroSerializer;
import dev.tributary.spark.write.BytesEncoder;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.DataType;

/**
 * Serializes a typed (struct) column to registry-framed Avro: spark-avro's AvroSerializer turns the row
 * into a GenericRecord of the topic's schema, Tributary's serde frames it with the registry id
 * (registering the schema under {@code <topic>-value} if it is new).
 */
public final class AvroBytesEncoder implements BytesEncoder {
    private final String registryUrl;
    private final String topic;
    private final boolean isKey;
    private final String schemaJson;

    private transient AvroSerializer<Object> serde;
    private transient org.apache.spark.sql.avro.AvroSerializer fromSpark;

    public AvroBytesEncoder(String registryUrl, String topic, boolean isKey, Schema schema) {
        this.registryUrl = registryUrl;
        this.topic = topic;
        this.isKey = isKey;
        this.schemaJson = schema.toString();
    }

    @Override
    public String checkType(DataType type) {
        try {
            new org.apache.spark.sql.avro.AvroSerializer(type, new Schema.Parser().parse(schemaJson), false);
            return null;
        } catch (Exception e) { // spark-avro's IncompatibleSchemaException is checked, thrown from Scala
            return "cannot be written with the Avro schema of topic '" + topic + "': " + e.getMessage();
        }
    }

    @Override
    public void open(DataType columnType) {
        if (serde != null) {
            return;
        }
        serde = new AvroSerializer<>();
        serde.configure(Map.of(AvroSerdeConfig.REGISTRY_URL, registryUrl), isKey);
        fromSpark =
                new org.apache.spark.sql.avro.AvroSerializer(columnType, new Schema.Parser().parse(schemaJson), false);
    }

    @Override
    public byte[] encode(Object value) {
        return serde.serialize(topic, fromSpark.serialize(value));
    }
}
