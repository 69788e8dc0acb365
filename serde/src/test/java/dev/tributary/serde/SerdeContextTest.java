package dev.tributary.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.serde.generated.Payment;
import dev.tributary.serde.testdata.Sensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** How the serializer's and deserializer's settings are read from a client config; no registry is called. */
class SerdeContextTest {
    static final String URL = "http://127.0.0.1:8081";
    static final Schema READER = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"R\"," + "\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}");

    private static Map<String, Object> config(Object... pairs) {
        Map<String, Object> m = new HashMap<>();
        m.put(AvroSerdeConfig.REGISTRY_URL, URL);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void shouldDefaultToAutoRegisterTopicSubjectsConfluentFramingAndGenericRecords() {
        AvroSerdeConfig c = AvroSerdeConfig.from(config(), false);
        assertThat(c.registryUrl).isEqualTo(URL);
        assertThat(c.autoRegister).isTrue();
        assertThat(c.subjectStrategy).isEqualTo(SubjectNameStrategy.TOPIC);
        assertThat(c.wireFormat).isEqualTo(WireFormat.CONFLUENT);
        assertThat(c.model).isEqualTo(DataModel.GENERIC);
        assertThat(c.readerSchema).isNull();
    }

    @Test
    void shouldReadTheSubjectStrategyOfTheKeyOrTheValue() {
        Map<String, Object> m = config(
                AvroSerdeConfig.KEY_SUBJECT_STRATEGY,
                "record",
                AvroSerdeConfig.VALUE_SUBJECT_STRATEGY,
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy");
        assertThat(AvroSerdeConfig.from(m, true).subjectStrategy).isEqualTo(SubjectNameStrategy.RECORD);
        assertThat(AvroSerdeConfig.from(m, false).subjectStrategy).isEqualTo(SubjectNameStrategy.TOPIC_RECORD);
    }

    @Test
    void shouldReadEverySettingAsTextOrAsItsType() {
        AvroSerdeConfig c = AvroSerdeConfig.from(
                config(
                        AvroSerdeConfig.AUTO_REGISTER,
                        false,
                        AvroSerdeConfig.WIRE_FORMAT,
                        "single-object",
                        AvroSerdeConfig.REFLECTION,
                        "true",
                        AvroSerdeConfig.READER_SCHEMA,
                        READER.toString()),
                false);
        assertThat(c.autoRegister).isFalse();
        assertThat(c.wireFormat).isEqualTo(WireFormat.SINGLE_OBJECT);
        assertThat(c.model).isEqualTo(DataModel.REFLECT);
        assertThat(c.readerSchema).isEqualTo(READER);
        assertThat(AvroSerdeConfig.from(config(AvroSerdeConfig.SPECIFIC_READER, true), false).model)
                .isEqualTo(DataModel.SPECIFIC);
    }

    @Test
    void shouldTakeModelAndReaderSchemaFromAReaderClass() {
        AvroSerdeConfig specific = AvroSerdeConfig.from(
                config(AvroSerdeConfig.READER_CLASS, Payment.class.getName(), AvroSerdeConfig.REFLECTION, "true"),
                false);
        assertThat(specific.model).as("the class wins over the flags").isEqualTo(DataModel.SPECIFIC);
        assertThat(specific.readerSchema).isEqualTo(Payment.getClassSchema());
        AvroSerdeConfig pojo =
                AvroSerdeConfig.from(config(AvroSerdeConfig.READER_CLASS, Sensor.class.getName()), false);
        assertThat(pojo.model).isEqualTo(DataModel.REFLECT);
        assertThat(pojo.readerSchema.getFullName()).isEqualTo(Sensor.class.getName());
    }

    @Test
    void shouldNameTheKeyAndTheValueOfABadSetting() {
        assertBad(AvroSerdeConfig.WIRE_FORMAT, "protobuf");
        assertBad(AvroSerdeConfig.VALUE_SUBJECT_STRATEGY, "by-day");
        assertBad(AvroSerdeConfig.READER_SCHEMA, "{not json");
        assertBad(AvroSerdeConfig.READER_CLASS, "no.such.Clazz");
    }

    private static void assertBad(String key, String value) {
        assertThatThrownBy(() -> AvroSerdeConfig.from(config(key, value), false))
                .as(key)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining(value);
    }

    @Test
    void shouldUseTheGivenClientAndBuildTheFingerprintStoreOverIt() {
        RegistryClient given = new NoRegistry();
        SerdeContext context = SerdeContext.configure(Map.of(), true, given);
        assertThat(context.client()).as("no URL needed with a client").isSameAs(given);
        assertThat(context.isKey()).isTrue();
        assertThat(context.config().registryUrl).isNull();
        Schema s = new Schema.Parser().parse("{\"type\":\"fixed\",\"name\":\"F\",\"size\":4}");
        context.fingerprints().add(s);
        assertThat(context.fingerprints()
                        .findByFingerprint(org.apache.avro.SchemaNormalization.parsingFingerprint64(s)))
                .isSameAs(s);
    }

    @Test
    void shouldMakeAClientForTheRegistryUrlWhenGivenNone() {
        // port 1 on loopback refuses the connection at once; the error names the URL the client called
        String url = "http://127.0.0.1:1";
        SerdeContext context = SerdeContext.configure(config(AvroSerdeConfig.REGISTRY_URL, url + "/"), false, null);
        assertThat(context.client()).isInstanceOf(CachingRegistryClient.class);
        assertThat(context.isKey()).isFalse();
        assertThatThrownBy(() -> context.client().subjects())
                .isInstanceOf(RegistryClientException.class)
                .hasMessageContaining(url + "/subjects");
    }

    @Test
    void shouldRefuseToRunWithoutAClientOrARegistryUrl() {
        for (Map<String, Object> m :
                List.<Map<String, Object>>of(Map.of(), Map.of(AvroSerdeConfig.REGISTRY_URL, " "))) {
            assertThatThrownBy(() -> SerdeContext.configure(m, false, null))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(AvroSerdeConfig.REGISTRY_URL);
        }
    }

    /** A client no test may call: the context must not reach the registry while it is configured. */
    private static final class NoRegistry implements RegistryClient {
        @Override
        public int register(String subject, Schema schema) {
            throw new AssertionError("register");
        }

        @Override
        public int lookup(String subject, Schema schema) {
            throw new AssertionError("lookup");
        }

        @Override
        public Schema schemaById(int id) {
            throw new AssertionError("schemaById");
        }

        @Override
        public List<String> subjects() {
            throw new AssertionError("subjects");
        }

        @Override
        public List<Integer> deleteSubject(String subject) {
            throw new AssertionError("deleteSubject");
        }

        @Override
        public List<Schema> subjectSchemas(String subject) {
            throw new AssertionError("subjectSchemas");
        }

        @Override
        public RegisteredSchema latest(String subject) {
            throw new AssertionError("latest");
        }
    }
}
