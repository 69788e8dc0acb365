package dev.tributary.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.registry.SchemaRegistryServer;
import dev.tributary.registry.store.InMemoryRegistryStore;
import java.net.InetSocketAddress;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

/** The client against a real registry server (in-memory store): what it caches and what it reports. */
class CachingRegistryClientTest {
    static final Schema V1 = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"C\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");
    static final Schema V2 = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"C\",\"fields\":["
                    + "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"int\",\"default\":0}]}");

    @Test
    void shouldServeKnownIdsAndSchemasFromItsCacheOnceTheRegistryIsGone() {
        SchemaRegistryServer server =
                SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), new InMemoryRegistryStore());
        CachingRegistryClient client = new CachingRegistryClient(server.url());
        int id = client.register("c-value", V1);
        assertThat(client.schemaById(id)).isEqualTo(V1);
        server.close();

        assertThat(client.register("c-value", V1)).isEqualTo(id);
        assertThat(client.schemaById(id)).isEqualTo(V1);
        assertThatThrownBy(() -> client.register("c-value", V2))
                .isInstanceOf(RegistryClientException.class)
                .hasMessageContaining(server.url());
    }

    @Test
    void shouldReportTheLatestVersionAndRegistryErrorCodes() {
        try (SchemaRegistryServer server =
                SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), new InMemoryRegistryStore())) {
            CachingRegistryClient client = new CachingRegistryClient(server.url() + "/");
            client.register("c-value", V1);
            int id2 = client.register("c-value", V2);
            RegistryClient.RegisteredSchema latest = client.latest("c-value");
            assertThat(latest.version()).isEqualTo(2);
            assertThat(latest.id()).isEqualTo(id2);
            assertThat(latest.schema()).isEqualTo(V2);
            assertThat(client.subjectSchemas("c-value")).containsExactly(V1, V2);
            assertThat(client.subjectSchemas("nobody")).isEmpty();
            assertThatThrownBy(() -> client.latest("nobody"))
                    .isInstanceOf(RegistryClientException.class)
                    .satisfies(e -> assertThat(((RegistryClientException) e).errorCode())
                            .isEqualTo(40401));
            assertThatThrownBy(() -> client.schemaById(77))
                    .isInstanceOf(RegistryClientException.class)
                    .satisfies(e ->
                            assertThat(((RegistryClientException) e).status()).isEqualTo(404));
        }
    }

    @Test
    void shouldShareOneClientInAnAvroSerde() {
        try (SchemaRegistryServer server =
                        SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), new InMemoryRegistryStore());
                AvroSerde<GenericRecord> serde = new AvroSerde<>()) {
            serde.configure(Map.of(AvroSerdeConfig.REGISTRY_URL, server.url()), false);
            GenericRecord r = new GenericRecordBuilder(V1).set("a", 7).build();
            byte[] bytes = serde.serializer().serialize("t", r);
            assertThat(serde.deserializer().deserialize("t", bytes).get("a")).isEqualTo(7);
        }
    }

    @Test
    void shouldDeleteASubjectAndRegisterItAgainDespiteItsCache() {
        try (SchemaRegistryServer server =
                SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), new InMemoryRegistryStore())) {
            CachingRegistryClient client = new CachingRegistryClient(server.url());
            client.register("d-value", V1);
            client.register("d-value", V2);
            assertThat(client.deleteSubject("d-value")).containsExactly(1, 2);
            assertThat(client.subjects()).doesNotContain("d-value");
            assertThat(client.deleteSubject("d-value")).as("already deleted").isEmpty();
            assertThat(client.deleteSubject("nobody")).isEmpty();

            client.register("d-value", V1); // cached before the delete: must reach the registry again
            assertThat(client.subjects()).contains("d-value");
            assertThat(client.subjectSchemas("d-value")).containsExactly(V1);
        }
    }
}
