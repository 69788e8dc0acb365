package dev.tributary.serde;

import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * The serde's settings, read from the producer or consumer config map. Keys follow Confluent's serializer
 * where the concept is the same, so existing client configs carry over.
 *
 * <table>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>schema.registry.url</td><td>(required)</td><td>base URL of the registry, e.g. http://127.0.0.1:8081</td></tr>
 * <tr><td>auto.register.schemas</td><td>true</td><td>serializer registers unknown schemas; false = look up only</td></tr>
 * <tr><td>key.subject.name.strategy / value.subject.name.strategy</td><td>topic</td><td>topic, record, topic_record</td></tr>
 * <tr><td>avro.wire.format</td><td>confluent</td><td>confluent (magic 0 + id) or single-object (C3 01 + fingerprint)</td></tr>
 * <tr><td>specific.avro.reader</td><td>false</td><td>deserialize into generated SpecificRecord classes</td></tr>
 * <tr><td>schema.reflection</td><td>false</td><td>deserialize into plain Java classes by reflection</td></tr>
 * <tr><td>avro.reader.schema</td><td>(writer's)</td><td>reader schema JSON for schema evolution</td></tr>
 * <tr><td>avro.reader.class</td><td>(none)</td><td>SpecificRecord or POJO class whose schema is the reader schema</td></tr>
 * </table>
 */
public final class AvroSerdeConfig {
    public static final String REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER = "auto.register.schemas";
    public static final String KEY_SUBJECT_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_STRATEGY = "value.subject.name.strategy";
    public static final String WIRE_FORMAT = "avro.wire.format";
    public static final String SPECIFIC_READER = "specific.avro.reader";
    public static final String REFLECTION = "schema.reflection";
    public static final String READER_SCHEMA = "avro.reader.schema";
    public static final String READER_CLASS = "avro.reader.class";

    final String registryUrl;
    final boolean autoRegister;
    final SubjectNameStrategy subjectStrategy;
    final WireFormat wireFormat;
    final DataModel model;
    final Schema readerSchema;

    private AvroSerdeConfig(Map<String, ?> configs, boolean isKey) {
        this.registryUrl = string(configs, REGISTRY_URL, null);
        this.autoRegister = Boolean.parseBoolean(string(configs, AUTO_REGISTER, "true"));
        String strategyKey = isKey ? KEY_SUBJECT_STRATEGY : VALUE_SUBJECT_STRATEGY;
        this.subjectStrategy = parse(strategyKey, string(configs, strategyKey, "topic"), SubjectNameStrategy::parse);
        this.wireFormat = parse(WIRE_FORMAT, string(configs, WIRE_FORMAT, "confluent"), WireFormat::parse);
        String readerClass = string(configs, READER_CLASS, null);
        boolean specific = Boolean.parseBoolean(string(configs, SPECIFIC_READER, "false"));
        boolean reflect = Boolean.parseBoolean(string(configs, REFLECTION, "false"));
        if (readerClass != null) {
            Class<?> type = loadClass(readerClass);
            this.model = DataModel.forClass(type);
            this.readerSchema = model.schemaOfClass(type);
        } else {
            this.model = reflect ? DataModel.REFLECT : specific ? DataModel.SPECIFIC : DataModel.GENERIC;
            String json = string(configs, READER_SCHEMA, null);
            this.readerSchema = json == null ? null : parse(READER_SCHEMA, json, s -> new Schema.Parser().parse(s));
        }
    }

    /** Reads the settings of a key ({@code isKey}) or value serde. */
    public static AvroSerdeConfig from(Map<String, ?> configs, boolean isKey) {
        return new AvroSerdeConfig(configs, isKey);
    }

    /** The registry URL, which both the serializer and deserializer need unless given a client. */
    String requireRegistryUrl() {
        if (registryUrl == null || registryUrl.isBlank()) {
            throw new ConfigException(REGISTRY_URL, registryUrl, "the Avro serde needs the registry's URL");
        }
        return registryUrl;
    }

    private static String string(Map<String, ?> configs, String key, String fallback) {
        Object v = configs.get(key);
        return v == null ? fallback : v.toString();
    }

    private static <T> T parse(String key, String value, java.util.function.Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new ConfigException(key, value, e.getMessage());
        }
    }

    private static Class<?> loadClass(String name) {
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            return Class.forName(name, true, loader != null ? loader : AvroSerdeConfig.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigException(READER_CLASS, name, "class not found");
        }
    }
}
