package dev.tributary.spark.avro;

import dev.tributary.serde.CachingRegistryClient;
import dev.tributary.spark.TributaryErrors;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.spark.sql.avro.SchemaConverters;
import org.apache.spark.sql.types.DataType;

/**
 * Finds the Avro schema of a topic's keys or values on the driver: a schema given as an option wins,
 * otherwise the latest version of the registry subject {@code <topic>-key} / {@code <topic>-value}
 * (Confluent's TopicNameStrategy). Converts it to a Spark type with spark-avro's SchemaConverters.
 */
public final class AvroSchemas {
    private AvroSchemas() {}

    public static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** @return the latest schema of the subject, or null when the registry has none */
    public static Schema latest(String registryUrl, String topic, boolean isKey) {
        List<Schema> versions = new CachingRegistryClient(registryUrl).subjectSchemas(subject(topic, isKey));
        return versions.isEmpty() ? null : versions.get(versions.size() - 1);
    }

    public static Schema resolve(String registryUrl, String givenSchema, String topic, boolean isKey) {
        String option = isKey ? "keySchema" : "valueSchema";
        if (givenSchema != null) {
            try {
                return new Schema.Parser().parse(givenSchema);
            } catch (RuntimeException e) {
                throw TributaryErrors.invalidOption(option, givenSchema, "not an Avro schema: " + e.getMessage());
            }
        }
        if (registryUrl == null) {
            throw TributaryErrors.invalidOption(
                    "schema.registry.url", null, "required with " + (isKey ? "keyFormat" : "valueFormat") + "=avro");
        }
        Schema latest;
        try {
            latest = latest(registryUrl, topic, isKey);
        } catch (RuntimeException e) {
            throw TributaryErrors.brokerRequestFailed(
                    "registry " + registryUrl + " subject " + subject(topic, isKey), e);
        }
        if (latest == null) {
            throw TributaryErrors.invalidOption(
                    isKey ? "keyFormat" : "valueFormat",
                    "avro",
                    "the registry at " + registryUrl + " has no subject '" + subject(topic, isKey) + "' (give " + option
                            + ")");
        }
        return latest;
    }

    public static DataType sparkType(Schema schema) {
        return SchemaConverters.toSqlType(schema).dataType();
    }
}
