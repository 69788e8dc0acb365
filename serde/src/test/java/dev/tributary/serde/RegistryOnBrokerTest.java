package dev.tributary.serde;

import static dev.tributary.registry.HttpJson.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tributary.registry.HttpJson;
import dev.tributary.testing.BrokerUnderTest;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The registry's REST API against a real broker, stored in its {@code _schemas} topic.
 *
 * <p>These tests live in the serde module because the registry module sits below the broker in the build
 * (the broker hosts it), so the registry's own tests cannot start a broker. They share one broker and use a
 * subject per test; the restart test runs last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryOnBrokerTest {
    static final String V1 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
    static final String V2 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
    static final String V3_NO_DEFAULT = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"string\"}]}";

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

    private static HttpJson http() {
        return new HttpJson(broker.registryUrl());
    }

    @Test
    @Order(1)
    void shouldRegisterAndEvolveASubject() {
        HttpJson http = http();
        var first = http.post("/subjects/evolve-value/versions", schemaBody(V1));
        assertThat(first.status()).isEqualTo(200);
        int id1 = first.body().get("id").asInt();
        int id2 = http.post("/subjects/evolve-value/versions", schemaBody(V2))
                .body()
                .get("id")
                .asInt();
        assertThat(id2).isGreaterThan(id1);
        assertThat(http.get("/subjects/evolve-value/versions").body().toString())
                .isEqualTo("[1,2]");
        var latest = http.get("/subjects/evolve-value/versions/latest").body();
        assertThat(latest.get("id").asInt()).isEqualTo(id2);
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(http.get("/schemas/ids/" + id1).body().get("schema").asText())
                .isEqualTo(new org.apache.avro.Schema.Parser().parse(V1).toString());
    }

    @Test
    @Order(2)
    void shouldRejectAnIncompatibleSchemaWith409AndAvrosReason() {
        HttpJson http = http();
        http.post("/subjects/reject-value/versions", schemaBody(V1));
        var r = http.post("/subjects/reject-value/versions", schemaBody(V3_NO_DEFAULT));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo(409);
        assertThat(r.body().get("message").asText())
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("email");
        assertThat(http.get("/subjects/reject-value/versions").body().toString())
                .isEqualTo("[1]");
    }

    @Test
    @Order(3)
    void shouldLookUpARegisteredSchema() {
        HttpJson http = http();
        int id = http.post("/subjects/lookup-value/versions", schemaBody(V1))
                .body()
                .get("id")
                .asInt();
        var found = http.post("/subjects/lookup-value", schemaBody(V1));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("id").asInt()).isEqualTo(id);
        assertThat(found.body().get("subject").asText()).isEqualTo("lookup-value");
        assertThat(http.post("/subjects/lookup-value", schemaBody(V2)).errorCode())
                .isEqualTo(40403);
        assertThat(http.post("/subjects/nobody-value", schemaBody(V1)).errorCode())
                .isEqualTo(40401);
    }

    @Test
    @Order(4)
    void shouldDeleteVersionsAndSubjects() {
        HttpJson http = http();
        http.post("/subjects/delete-value/versions", schemaBody(V1));
        http.post("/subjects/delete-value/versions", schemaBody(V2));
        assertThat(http.delete("/subjects/delete-value/versions/2").body().asInt())
                .isEqualTo(2);
        assertThat(http.get("/subjects/delete-value/versions").body().toString())
                .isEqualTo("[1]");
        assertThat(http.delete("/subjects/delete-value").body().toString()).isEqualTo("[1]");
        assertThat(http.get("/subjects/delete-value/versions").errorCode()).isEqualTo(40401);
        assertThat(http.delete("/subjects/delete-value?permanent=true").body().toString())
                .isEqualTo("[1,2]");
        assertThat(http.get("/subjects?deleted=true").body().toString()).doesNotContain("delete-value");
    }

    @Test
    @Order(5)
    void shouldConfigureCompatibilityPerSubject() {
        HttpJson http = http();
        assertThat(http.put("/config/config-value", "{\"compatibility\":\"NONE\"}")
                        .status())
                .isEqualTo(200);
        assertThat(http.get("/config/config-value")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("NONE");
        assertThat(http.get("/config").body().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        http.post("/subjects/config-value/versions", schemaBody(V1));
        assertThat(http.post("/subjects/config-value/versions", schemaBody(V3_NO_DEFAULT))
                        .status())
                .isEqualTo(200);
        assertThat(http.put("/config/config-value", "{\"compatibility\":\"FULL_TRANSITIVE\"}")
                        .status())
                .isEqualTo(200);
        assertThat(http.post("/subjects/config-value/versions", schemaBody(V2)).status())
                .as("V2 lacks email, which V3 requires without default")
                .isEqualTo(409);
    }

    @Test
    @Order(6)
    void shouldAnswerUnknownIdWith40403AndInvalidSchemaWith42201() {
        HttpJson http = http();
        var unknown = http.get("/schemas/ids/999999");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(40403);
        var invalid = http.post("/subjects/invalid-value/versions", schemaBody("{\"type\":\"recrod\"}"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.errorCode()).isEqualTo(42201);
    }

    @Test
    @Order(7)
    void shouldKeepSchemasInACompactedTopic() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
            var config = admin.describeConfigs(List.of(topic)).all().get().get(topic);
            assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    @Order(100)
    void shouldKeepSchemasIdsAndConfigAcrossABrokerRestartAndSkipAnUnreadableRecord() {
        assumeTrue(broker.kind() != BrokerUnderTest.Kind.EXTERNAL, "the tests cannot restart a running broker");
        HttpJson before = http();
        int id = before.post("/subjects/restart-value/versions", schemaBody(V1))
                .body()
                .get("id")
                .asInt();
        before.put("/config/restart-value", "{\"compatibility\":\"FORWARD\"}");
        var subjectsBefore = before.get("/subjects").body();
        int maxBefore = maxId(before);
        // a record the registry cannot read must be skipped (and logged with its offset), not stop it
        KafkaIo.produce(
                broker.bootstrapServers(),
                "_schemas",
                new ByteArraySerializer(),
                List.of("not a registry record".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        broker.restart();

        HttpJson after = http();
        assertThat(after.get("/subjects").body()).isEqualTo(subjectsBefore);
        assertThat(after.get("/schemas/ids/" + id).body().get("schema").asText())
                .isEqualTo(new org.apache.avro.Schema.Parser().parse(V1).toString());
        assertThat(after.get("/subjects/restart-value/versions/1")
                        .body()
                        .get("id")
                        .asInt())
                .isEqualTo(id);
        assertThat(after.get("/config/restart-value")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("FORWARD");
        assertThat(after.post("/subjects/restart-value/versions", schemaBody(V1))
                        .body()
                        .get("id")
                        .asInt())
                .as("re-registering after restart returns the stored id")
                .isEqualTo(id);
        String fresh = "{\"type\":\"record\",\"name\":\"Fresh\",\"fields\":[{\"name\":\"x\",\"type\":\"long\"}]}";
        int next = after.post("/subjects/fresh-value/versions", schemaBody(fresh))
                .body()
                .get("id")
                .asInt();
        assertThat(next).as("a new schema gets the id after every stored one").isEqualTo(maxBefore + 1);
    }

    /** The highest id now served: probe upwards from 1 until a run of misses. */
    private static int maxId(HttpJson http) {
        int max = 0;
        for (int id = 1, misses = 0; misses < 5; id++) {
            if (http.get("/schemas/ids/" + id).status() == 200) {
                max = id;
                misses = 0;
            } else {
                misses++;
            }
        }
        return max;
    }
}
