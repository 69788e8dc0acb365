package dev.tributary.serde;

import static dev.tributary.serde.KafkaIo.consume;
import static dev.tributary.serde.KafkaIo.createTopic;
import static dev.tributary.serde.KafkaIo.produce;
import static dev.tributary.serde.KafkaIo.serdeConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tributary.serde.generated.Payment;
import dev.tributary.serde.testdata.Sensor;
import dev.tributary.testing.BrokerUnderTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Serializer and deserializer through a real broker with kafka-clients, both framings, all three data models. */
class AvroSerdeRoundTripTest {
    static final Schema READING = new Schema.Parser()
            .parse(
                    "{\"type\":\"record\",\"name\":\"Reading\","
                            + "\"namespace\":\"dev.tributary.serde.g\",\"fields\":[{\"name\":\"station\",\"type\":\"string\"},"
                            + "{\"name\":\"celsius\",\"type\":\"float\"},{\"name\":\"flags\",\"type\":{\"type\":\"map\",\"values\":\"int\"}}]}");
    /** Payment as its first version: no tags, note or currency, which the generated class has with defaults. */
    static final Schema PAYMENT_V1 = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Payment\","
                    + "\"namespace\":\"dev.tributary.serde.generated\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
                    + "{\"name\":\"amount\",\"type\":\"double\"}]}");

    static BrokerUnderTest broker;

    @BeforeAll
    static void startBroker() {
        broker = BrokerUnderTest.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String topic(String name, WireFormat format) {
        String topic = name + "-" + format.name().toLowerCase(Locale.ROOT).replace('_', '-');
        createTopic(broker.bootstrapServers(), topic);
        return topic;
    }

    private static <T> AvroSerializer<T> serializer(WireFormat format, Object... extra) {
        AvroSerializer<T> s = new AvroSerializer<>();
        Map<String, Object> config = serdeConfig(broker.registryUrl(), extra);
        config.put(AvroSerdeConfig.WIRE_FORMAT, format == WireFormat.CONFLUENT ? "confluent" : "single-object");
        s.configure(config, false);
        return s;
    }

    private static <T> AvroDeserializer<T> deserializer(Object... config) {
        AvroDeserializer<T> d = new AvroDeserializer<>();
        d.configure(serdeConfig(broker.registryUrl(), config), false);
        return d;
    }

    private static GenericRecord reading(String station, float celsius) {
        return new GenericRecordBuilder(READING)
                .set("station", station)
                .set("celsius", celsius)
                .set("flags", Map.of("calibrated", 1))
                .build();
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void shouldRoundTripGenericRecordsAndTombstones(WireFormat format) {
        String topic = topic("generic", format);
        List<GenericRecord> sent = Arrays.asList(reading("oslo", -3.5f), null, reading("lima", 19.25f));
        produce(broker.bootstrapServers(), topic, serializer(format), sent);

        List<Object> received = consume(broker.bootstrapServers(), topic, deserializer(), 3);
        assertThat(received).hasSize(3);
        assertThat(received.get(1)).as("a null value is a tombstone").isNull();
        for (int i : new int[] {0, 2}) {
            GenericRecord r = (GenericRecord) received.get(i);
            assertThat(r.getSchema()).isEqualTo(READING);
            // generic strings come back as Utf8 (map keys too), so compare the JSON renderings
            assertThat(r.toString()).isEqualTo(sent.get(i).toString());
        }
    }

    /**
     * One serializer and one deserializer shared by several threads, each thread writing values of its own
     * length: the per-thread buffers and decoders (a cached owner-thread fast path over a thread-local) must
     * never be shared, or values would come back mixed or truncated.
     */
    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void shouldRoundTripFromSeveralThreadsSharingOneSerializerAndDeserializer(WireFormat format) throws Exception {
        String topic = "shared-" + format.name().toLowerCase(Locale.ROOT);
        AvroSerializer<GenericRecord> serializer = serializer(format);
        AvroDeserializer<GenericRecord> deserializer = deserializer();
        int threads = 4;
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            String station = "s" + t + "-" + "x".repeat(t * 40);
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    for (int i = 0; i < 2000; i++) {
                        GenericRecord sent = reading(station, i);
                        GenericRecord got = deserializer.deserialize(topic, serializer.serialize(topic, sent));
                        if (!got.toString().equals(sent.toString())) {
                            failures.add(sent + " came back as " + got);
                            return;
                        }
                    }
                } catch (Throwable e) {
                    failures.add(station + ": " + e);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join(60_000);
        }
        assertThat(failures).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void shouldRoundTripSpecificRecords(WireFormat format) {
        String topic = topic("specific", format);
        List<Payment> sent = List.of(
                Payment.newBuilder()
                        .setId("p-1")
                        .setAmount(12.5)
                        .setTags(List.of("card"))
                        .setNote("first")
                        .build(),
                Payment.newBuilder()
                        .setId("p-2")
                        .setAmount(0.01)
                        .setCurrency("JPY")
                        .build());
        produce(broker.bootstrapServers(), topic, serializer(format), sent);

        List<Object> received =
                consume(broker.bootstrapServers(), topic, deserializer(AvroSerdeConfig.SPECIFIC_READER, "true"), 2);
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(received.get(0)).isInstanceOf(Payment.class);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void shouldRoundTripReflectObjects(WireFormat format) {
        String topic = topic("reflect", format);
        List<Sensor> sent = List.of(new Sensor("s-1", 1.5, 1_700_000_000_000L), new Sensor("s-2", -40.0, 0L));
        produce(broker.bootstrapServers(), topic, serializer(format), sent);

        List<Object> received =
                consume(broker.bootstrapServers(), topic, deserializer(AvroSerdeConfig.REFLECTION, "true"), 2);
        assertThat(received).containsExactlyElementsOf(sent);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void shouldEvolveOldDataIntoTheCurrentGeneratedClass(WireFormat format) {
        String topic = topic("evolve", format);
        GenericRecord old = new GenericRecordBuilder(PAYMENT_V1)
                .set("id", "old-1")
                .set("amount", 3.0)
                .build();
        produce(broker.bootstrapServers(), topic, serializer(format), List.of(old));

        List<Object> received = consume(
                broker.bootstrapServers(),
                topic,
                deserializer(AvroSerdeConfig.READER_CLASS, Payment.class.getName()),
                1);
        Payment p = (Payment) received.get(0);
        assertThat(p.getId()).isEqualTo("old-1");
        assertThat(p.getCurrency())
                .as("filled from the reader schema's default")
                .isEqualTo("EUR");
        assertThat(p.getTags()).isEmpty();
    }

    @Test
    void shouldRefuseAnUnregisteredSchemaWhenAutoRegistrationIsOff() {
        String topic = topic("noauto", WireFormat.CONFLUENT);
        AvroSerializer<GenericRecord> s = serializer(WireFormat.CONFLUENT, AvroSerdeConfig.AUTO_REGISTER, "false");
        assertThatThrownBy(() -> s.serialize(topic, reading("x", 1f)))
                .isInstanceOf(RegistryClientException.class)
                .satisfies(e ->
                        assertThat(((RegistryClientException) e).errorCode()).isEqualTo(40401));

        new CachingRegistryClient(broker.registryUrl()).register(topic + "-value", READING);
        byte[] bytes = serializer(WireFormat.CONFLUENT, AvroSerdeConfig.AUTO_REGISTER, "false")
                .serialize(topic, reading("x", 1f));
        assertThat(bytes[0]).isEqualTo(ConfluentFraming.MAGIC);
    }

    @Test
    void shouldRegisterUnderTheConfiguredSubjectNameStrategy() {
        String topic = topic("strategies", WireFormat.CONFLUENT);
        Payment p = Payment.newBuilder().setId("s").setAmount(1).build();
        serializer(WireFormat.CONFLUENT, AvroSerdeConfig.VALUE_SUBJECT_STRATEGY, "record")
                .serialize(topic, p);
        serializer(
                        WireFormat.CONFLUENT,
                        AvroSerdeConfig.VALUE_SUBJECT_STRATEGY,
                        "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy")
                .serialize(topic, p);
        serializer(WireFormat.CONFLUENT).serialize(topic, p);
        assertThat(new CachingRegistryClient(broker.registryUrl()).subjects())
                .contains(
                        "dev.tributary.serde.generated.Payment",
                        topic + "-dev.tributary.serde.generated.Payment",
                        topic + "-value");
    }

    @Test
    void shouldNamePartitionOffsetTopicAndBytesOfACorruptValue() {
        String topic = topic("corrupt", WireFormat.CONFLUENT);
        byte[] good = serializer(WireFormat.CONFLUENT).serialize(topic, reading("ok", 1f));
        byte[] unknownId = {0, 0, 0x0F, 0x42, 0x3F, 2, 'x'};
        byte[] truncated = Arrays.copyOf(good, good.length - 3);
        produce(
                broker.bootstrapServers(),
                topic,
                new ByteArraySerializer(),
                List.of("{\"json\":1}".getBytes(), unknownId, truncated, good));

        List<String> errors = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer =
                KafkaIo.consumer(broker.bootstrapServers(), topic, deserializer())) {
            await("the good record after the bad ones")
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        try {
                            consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                        } catch (RecordDeserializationException e) {
                            errors.add(e.getMessage() + " <- " + e.getCause().getMessage());
                            consumer.seek(new TopicPartition(topic, 0), e.offset() + 1);
                        }
                        return !values.isEmpty();
                    });
        }
        Object last = values.get(values.size() - 1);
        errors.forEach(System.out::println);
        assertThat(errors).hasSize(3);
        assertThat(errors.get(0))
                .contains(topic + "-0")
                .contains("offset 0")
                .contains("topic '" + topic + "'")
                .contains("magic byte 0x7B")
                .contains("7b 22 6a 73");
        assertThat(errors.get(1))
                .contains("offset 1")
                .contains("schema id 999999")
                .contains("40403");
        assertThat(errors.get(2)).contains("offset 2").contains("corrupt Avro body");
        assertThat(((GenericRecord) last).get("station").toString())
                .as("the good record after them")
                .isEqualTo("ok");
    }
}
