package dev.tributary.registry;

import static dev.tributary.registry.HttpJson.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.registry.store.InMemoryRegistryStore;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST layer and registry logic over an in-memory store: no broker needed. */
class SchemaRegistryHttpTest {
    static final String V1 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"}]}";
    static final String V2 = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"age\",\"type\":\"int\",\"default\":0}]}";
    static final String V3_NO_DEFAULT = "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"t\","
            + "\"fields\":[{\"name\":\"name\",\"type\":\"string\"},{\"name\":\"email\",\"type\":\"string\"}]}";

    private final InMemoryRegistryStore store = new InMemoryRegistryStore();
    private SchemaRegistryServer server;
    private HttpJson http;

    @BeforeEach
    void start() {
        server = SchemaRegistryServer.start(new InetSocketAddress("127.0.0.1", 0), store);
        http = new HttpJson(server.url());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void restart() {
        server.close();
        start();
    }

    @Test
    void shouldRegisterEvolveAndServeVersions() {
        var first = http.post("/subjects/users-value/versions", schemaBody(V1));
        assertThat(first.status()).isEqualTo(200);
        int id1 = first.body().get("id").asInt();
        assertThat(http.post("/subjects/users-value/versions", schemaBody(V1))
                        .body()
                        .get("id")
                        .asInt())
                .as("re-registering returns the same id")
                .isEqualTo(id1);
        int id2 = http.post("/subjects/users-value/versions", schemaBody(V2))
                .body()
                .get("id")
                .asInt();
        assertThat(id2).isNotEqualTo(id1);

        assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"users-value\"]");
        assertThat(http.get("/subjects/users-value/versions").body().toString()).isEqualTo("[1,2]");
        var latest = http.get("/subjects/users-value/versions/latest").body();
        assertThat(latest.get("version").asInt()).isEqualTo(2);
        assertThat(latest.get("id").asInt()).isEqualTo(id2);
        assertThat(latest.get("subject").asText()).isEqualTo("users-value");
        assertThat(http.get("/subjects/users-value/versions/1").body().get("id").asInt())
                .isEqualTo(id1);
        assertThat(http.get("/schemas/ids/" + id2).body().get("schema").asText())
                .contains("\"age\"");
        assertThat(http.get("/schemas/ids/" + id1 + "/versions").body().toString())
                .isEqualTo("[{\"subject\":\"users-value\",\"version\":1}]");
    }

    @Test
    void shouldGiveTheSameSchemaTheSameIdUnderEverySubject() {
        int a = http.post("/subjects/a-value/versions", schemaBody(V1))
                .body()
                .get("id")
                .asInt();
        int b = http.post("/subjects/b-value/versions", schemaBody(V1))
                .body()
                .get("id")
                .asInt();
        assertThat(b).isEqualTo(a);
        assertThat(http.get("/schemas/ids/" + a + "/versions").body()).hasSize(2);
    }

    @Test
    void shouldRejectIncompatibleSchemaWith409AndAvrosReason() {
        http.post("/subjects/users-value/versions", schemaBody(V1));
        var r = http.post("/subjects/users-value/versions", schemaBody(V3_NO_DEFAULT));
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo(409);
        assertThat(r.body().get("message").asText())
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
                .contains("email")
                .contains("BACKWARD");
        assertThat(http.get("/subjects/users-value/versions").body().toString()).isEqualTo("[1]");
    }

    @Test
    void shouldAnswerCompatibilityChecksWithoutRegistering() {
        http.post("/subjects/users-value/versions", schemaBody(V1));
        var ok = http.post("/compatibility/subjects/users-value/versions/latest", schemaBody(V2));
        assertThat(ok.body().get("is_compatible").asBoolean()).isTrue();
        var bad = http.post("/compatibility/subjects/users-value/versions/1?verbose=true", schemaBody(V3_NO_DEFAULT));
        assertThat(bad.body().get("is_compatible").asBoolean()).isFalse();
        assertThat(bad.body().get("messages").toString()).contains("READER_FIELD_MISSING_DEFAULT_VALUE");
        assertThat(http.get("/subjects/users-value/versions").body().toString()).isEqualTo("[1]");
        assertThat(http.post("/compatibility/subjects/new-value/versions/latest", schemaBody(V1))
                        .body()
                        .get("is_compatible")
                        .asBoolean())
                .as("nothing to be incompatible with")
                .isTrue();
        assertThat(http.post("/compatibility/subjects/new-value/versions/1", schemaBody(V1))
                        .errorCode())
                .isEqualTo(40401);
    }

    @Test
    void shouldLookUpASchemaUnderASubject() {
        int id = http.post("/subjects/users-value/versions", schemaBody(V1))
                .body()
                .get("id")
                .asInt();
        var found = http.post("/subjects/users-value", schemaBody(V1));
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.body().get("id").asInt()).isEqualTo(id);
        assertThat(found.body().get("version").asInt()).isEqualTo(1);
        var missing = http.post("/subjects/users-value", schemaBody(V2));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.errorCode()).isEqualTo(40403);
        assertThat(http.post("/subjects/nobody", schemaBody(V1)).errorCode()).isEqualTo(40401);
    }

    @Test
    void shouldSoftThenPermanentlyDeleteVersionsAndSubjects() {
        http.post("/subjects/users-value/versions", schemaBody(V1));
        int id2 = http.post("/subjects/users-value/versions", schemaBody(V2))
                .body()
                .get("id")
                .asInt();
        assertThat(http.delete("/subjects/users-value/versions/2?permanent=true")
                        .errorCode())
                .as("permanent delete needs a soft delete first")
                .isEqualTo(40407);
        assertThat(http.delete("/subjects/users-value/versions/2").body().asInt())
                .isEqualTo(2);
        assertThat(http.get("/subjects/users-value/versions").body().toString()).isEqualTo("[1]");
        assertThat(http.get("/subjects/users-value/versions?deleted=true")
                        .body()
                        .toString())
                .isEqualTo("[1,2]");
        assertThat(http.get("/schemas/ids/" + id2).status())
                .as("soft-deleted schemas stay readable by id")
                .isEqualTo(200);
        assertThat(http.delete("/subjects/users-value/versions/2?permanent=true")
                        .body()
                        .asInt())
                .isEqualTo(2);
        assertThat(http.get("/schemas/ids/" + id2).errorCode()).isEqualTo(40403);

        assertThat(http.delete("/subjects/users-value").body().toString()).isEqualTo("[1]");
        assertThat(http.get("/subjects").body()).isEmpty();
        assertThat(http.get("/subjects/users-value/versions").errorCode()).isEqualTo(40401);
        assertThat(http.delete("/subjects/users-value?permanent=true").body().toString())
                .isEqualTo("[1]");
        assertThat(http.get("/subjects?deleted=true").body()).isEmpty();
    }

    @Test
    void shouldKeepVersionNumbersGrowingAfterASoftDeletedSubjectIsReused() {
        http.post("/subjects/s/versions", schemaBody(V1));
        http.delete("/subjects/s");
        http.post("/subjects/s/versions", schemaBody(V1));
        assertThat(http.get("/subjects/s/versions").body().toString()).isEqualTo("[2]");
    }

    @Test
    void shouldConfigureCompatibilityPerSubject() {
        assertThat(http.get("/config").body().get("compatibilityLevel").asText())
                .isEqualTo("BACKWARD");
        assertThat(http.get("/config/users-value").errorCode()).isEqualTo(40408);
        assertThat(http.get("/config/users-value?defaultToGlobal=true")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("BACKWARD");
        assertThat(http.put("/config/users-value", "{\"compatibility\":\"NONE\"}")
                        .body()
                        .get("compatibility")
                        .asText())
                .isEqualTo("NONE");
        assertThat(http.get("/config/users-value")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("NONE");
        http.post("/subjects/users-value/versions", schemaBody(V1));
        assertThat(http.post("/subjects/users-value/versions", schemaBody(V3_NO_DEFAULT))
                        .status())
                .as("NONE on this subject lets an incompatible schema in")
                .isEqualTo(200);
        assertThat(http.put("/config", "{\"compatibility\":\"FULL\"}").status()).isEqualTo(200);
        assertThat(http.get("/config").body().get("compatibilityLevel").asText())
                .isEqualTo("FULL");
        assertThat(http.get("/config/users-value")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("NONE");
        assertThat(http.put("/config/users-value", "{\"compatibility\":\"SIDEWAYS\"}")
                        .errorCode())
                .isEqualTo(42203);
        assertThat(http.delete("/config/users-value")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("NONE");
        assertThat(http.get("/config/users-value?defaultToGlobal=true")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("FULL");
    }

    @Test
    void shouldAnswerUnknownIdsWith40403() {
        var r = http.get("/schemas/ids/4242");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.errorCode()).isEqualTo(40403);
        assertThat(r.body().get("message").asText()).contains("4242");
        assertThat(http.get("/schemas/ids/4242/versions").errorCode()).isEqualTo(40403);
    }

    @Test
    void shouldRejectInvalidSchemasWith42201() {
        var r = http.post(
                "/subjects/s/versions",
                schemaBody("{\"type\":\"record\",\"name\":\"X\",\"fields\":[{\"name\":\"a\"}]}"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.errorCode()).isEqualTo(42201);
        assertThat(http.post("/subjects/s/versions", schemaBody("not json")).errorCode())
                .isEqualTo(42201);
        assertThat(http.post("/subjects/s/versions", "{\"schema\":\"{}\",\"schemaType\":\"PROTOBUF\"}")
                        .errorCode())
                .isEqualTo(42201);
        assertThat(http.get("/subjects").body()).isEmpty();
    }

    @Test
    void shouldReportBadVersionsAndPathsAndMethods() {
        http.post("/subjects/s/versions", schemaBody(V1));
        assertThat(http.get("/subjects/s/versions/zero").errorCode()).isEqualTo(42202);
        assertThat(http.get("/subjects/s/versions/7").errorCode()).isEqualTo(40402);
        assertThat(http.get("/nothing/here").status()).isEqualTo(404);
        assertThat(http.put("/subjects", "{}").status()).isEqualTo(405);
        assertThat(http.post("/subjects/s/versions", "{not json").status()).isEqualTo(400);
    }

    @Test
    void shouldRejectAnOversizedBody() {
        String huge =
                "{\"schema\":\"" + "x".repeat(dev.tributary.registry.http.RegistryHttpHandler.MAX_BODY_BYTES) + "\"}";
        var r = http.post("/subjects/s/versions", huge);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().get("message").asText()).contains("larger than");
    }

    @Test
    void shouldGiveConcurrentRegistrationsDistinctVersionsAndIds() throws Exception {
        int threads = 8;
        http.put("/config/shared", "{\"compatibility\":\"NONE\"}");
        java.util.List<java.util.concurrent.Future<Integer>> ids = new java.util.ArrayList<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            for (int i = 0; i < threads; i++) {
                String schema = "{\"type\":\"record\",\"name\":\"R" + i + "\",\"fields\":[]}";
                ids.add(pool.submit(() -> http.post("/subjects/shared/versions", schemaBody(schema))
                        .body()
                        .get("id")
                        .asInt()));
            }
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            for (var f : ids) {
                distinct.add(f.get());
            }
            assertThat(distinct).hasSize(threads);
        } finally {
            pool.shutdownNow();
        }
        assertThat(http.get("/subjects/shared/versions").body().toString()).isEqualTo("[1,2,3,4,5,6,7,8]");
    }

    @Test
    void shouldFailFastNamingTheAddressWhenThePortIsTaken() {
        InMemoryRegistryStore other = new InMemoryRegistryStore();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SchemaRegistryServer.start(server.address(), other))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageContaining(String.valueOf(server.address().getPort()));
        assertThat(http.get("/subjects").status())
                .as("the first server is unaffected")
                .isEqualTo(200);
    }

    @Test
    void shouldAnswerToolsThatAskForTypesModeAndReferences() {
        http.post("/subjects/s/versions", schemaBody(V1));
        assertThat(http.get("/schemas/types").body().toString()).isEqualTo("[\"AVRO\"]");
        assertThat(http.get("/mode").body().get("mode").asText()).isEqualTo("READWRITE");
        assertThat(http.get("/subjects/s/versions/1/referencedby").body().toString())
                .isEqualTo("[]");
        assertThat(http.get("/subjects/s/versions/1/schema").body().get("name").asText())
                .isEqualTo("User");
    }

    @Test
    void shouldDecodePercentEncodedSubjects() {
        http.post("/subjects/a%2Fb%20c/versions", schemaBody(V1));
        assertThat(http.get("/subjects").body().toString()).isEqualTo("[\"a/b c\"]");
        assertThat(http.get("/subjects/a%2Fb%20c/versions/1").status()).isEqualTo(200);
    }

    @Test
    void shouldRebuildTheSameStateFromTheStoreAfterRestart() {
        int id1 = http.post("/subjects/users-value/versions", schemaBody(V1))
                .body()
                .get("id")
                .asInt();
        http.put("/config/users-value", "{\"compatibility\":\"FULL\"}");
        restart();
        assertThat(http.get("/schemas/ids/" + id1).status()).isEqualTo(200);
        assertThat(http.get("/config/users-value")
                        .body()
                        .get("compatibilityLevel")
                        .asText())
                .isEqualTo("FULL");
        int id2 = http.post("/subjects/other/versions", schemaBody(V2))
                .body()
                .get("id")
                .asInt();
        assertThat(id2).as("ids continue above the stored ones").isGreaterThan(id1);
    }
}
