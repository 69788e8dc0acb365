package dev.tributary.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.registry.SchemaRegistryServer;
import dev.tributary.registry.store.InMemoryRegistryStore;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What the deserializer does with bytes it cannot read; a registry over an in-memory store, no broker. */
class AvroDeserializerBadInputTest {
    static final Schema SCHEMA = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Point\","
                    + "\"fields\":[{\"name\":\"x\",\"type\":\"long\"},{\"name\":\"label\",\"type\":\"string\"}]}");
    static SchemaRegistryServer registry;

    @BeforeAll
    static void startRegistry() {
        registry = SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), new InMemoryRegistryStore());
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static <T> T configured(T serde, Object... extra) {
        Map<String, Object> config = KafkaIo.serdeConfig(registry.url(), extra);
        if (serde instanceof AvroSerializer<?> s) {
            s.configure(config, false);
        } else {
            ((AvroDeserializer<?>) serde).configure(config, false);
        }
        return serde;
    }

    private static GenericRecord point() {
        return new GenericRecordBuilder(SCHEMA)
                .set("x", 42L)
                .set("label", "answer")
                .build();
    }

    private static byte[] serialize(String format) {
        return configured(new AvroSerializer<GenericRecord>(), AvroSerdeConfig.WIRE_FORMAT, format)
                .serialize("t", point());
    }

    @Test
    void shouldReturnNullForATombstone() {
        assertThat(configured(new AvroDeserializer<>()).deserialize("t", null)).isNull();
        assertThat(configured(new AvroSerializer<>()).serialize("t", null)).isNull();
    }

    @Test
    void shouldNameTopicAndFirstBytesOfAnUnknownMagicByte() {
        byte[] data = {0x05, 1, 2, 3};
        assertThatThrownBy(() -> configured(new AvroDeserializer<>()).deserialize("orders", data))
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining("topic 'orders'")
                .hasMessageContaining("magic byte 0x05")
                .hasMessageContaining("first bytes: 05 01 02 03");
    }

    @Test
    void shouldRejectAnEmptyOrShortValue() {
        AvroDeserializer<Object> d = configured(new AvroDeserializer<>());
        assertThatThrownBy(() -> d.deserialize("t", new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> d.deserialize("t", new byte[] {0, 0, 1}))
                .hasMessageContaining("5-byte Confluent header");
        assertThatThrownBy(() -> d.deserialize("t", new byte[] {(byte) 0xC3, 1, 9}))
                .hasMessageContaining("10-byte single-object header");
    }

    @Test
    void shouldNameAnUnknownSchemaId() {
        byte[] data = {0, 0x7F, 0, 0, 1, 0};
        assertThatThrownBy(() -> configured(new AvroDeserializer<>()).deserialize("t", data))
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining("schema id 2130706433")
                .hasMessageContaining("40403");
    }

    @Test
    void shouldNameAnUnknownFingerprint() {
        byte[] data = serialize("single-object");
        data[2] ^= 0x55;
        assertThatThrownBy(() -> configured(new AvroDeserializer<>()).deserialize("t", data))
                .isInstanceOf(AvroSerdeException.class)
                .hasMessageContaining("fingerprint");
    }

    @Test
    void shouldRejectTruncatedAndOverlongBodiesInBothFramings() {
        for (String format : new String[] {"confluent", "single-object"}) {
            byte[] good = serialize(format);
            AvroDeserializer<GenericRecord> d = configured(new AvroDeserializer<>());
            assertThat(d.deserialize("t", good).get("label").toString()).isEqualTo("answer");
            assertThatThrownBy(() -> d.deserialize("t", Arrays.copyOf(good, good.length - 4)))
                    .as(format)
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("corrupt Avro body");
        }
        for (String format : new String[] {"confluent", "single-object"}) {
            byte[] good = serialize(format);
            byte[] overlong = Arrays.copyOf(good, good.length + 2);
            assertThatThrownBy(() -> configured(new AvroDeserializer<>()).deserialize("t", overlong))
                    .as(format)
                    .isInstanceOf(AvroSerdeException.class)
                    .hasMessageContaining("bytes left over");
        }
    }

    @Test
    void shouldReadBothFramingsWithOneDeserializer() {
        AvroDeserializer<GenericRecord> d = configured(new AvroDeserializer<>());
        byte[] confluent = serialize("confluent");
        byte[] single = serialize("single-object");
        assertThat(confluent[0]).isEqualTo((byte) 0);
        assertThat(single[0]).isEqualTo((byte) 0xC3);
        assertThat(single[1]).isEqualTo((byte) 0x01);
        assertThat(d.deserialize("t", confluent)).isEqualTo(d.deserialize("t", single));
    }

    @Test
    void shouldWriteTheFingerprintLittleEndianAsAvroSpecifies() {
        byte[] single = serialize("single-object");
        assertThat(SingleObjectFraming.readFingerprint(single))
                .isEqualTo(org.apache.avro.SchemaNormalization.parsingFingerprint64(SCHEMA));
    }

    @Test
    void shouldWriteTheRegistryIdBigEndianAfterMagicZero() {
        byte[] confluent = serialize("confluent");
        int id = new CachingRegistryClient(registry.url()).lookup("t-value", SCHEMA);
        assertThat(ConfluentFraming.readId(confluent)).isEqualTo(id);
    }
}
