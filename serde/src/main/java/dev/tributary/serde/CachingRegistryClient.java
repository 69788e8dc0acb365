package dev.tributary.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A {@link RegistryClient} over the Confluent Schema Registry REST API (JDK HttpClient, Jackson) that caches
 * what cannot change: the id of a schema under a subject and the schema of an id. Ids are immutable in the
 * registry, so the caches never expire; only the first use of a schema costs a round trip.
 * Thread-safe.
 */
public final class CachingRegistryClient implements RegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String baseUrl;
    private final HttpClient http;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

    public CachingRegistryClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    @Override
    public int register(String subject, Schema schema) {
        return idsBySubject
                .computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> {
                    JsonNode answer = send("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(s));
                    int id = answer.get("id").asInt();
                    schemasById.putIfAbsent(id, s);
                    return id;
                });
    }

    @Override
    public int lookup(String subject, Schema schema) {
        return idsBySubject
                .computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(schema, s -> {
                    JsonNode answer = send("POST", "/subjects/" + encode(subject), schemaBody(s));
                    int id = answer.get("id").asInt();
                    schemasById.putIfAbsent(id, s);
                    return id;
                });
    }

    @Override
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(
                id,
                i -> new Schema.Parser()
                        .parse(send("GET", "/schemas/ids/" + i, null)
                                .get("schema")
                                .asText()));
    }

    @Override
    public List<String> subjects() {
        List<String> out = new ArrayList<>();
        send("GET", "/subjects", null).forEach(n -> out.add(n.asText()));
        return out;
    }

    @Override
    public List<Schema> subjectSchemas(String subject) {
        List<Schema> out = new ArrayList<>();
        JsonNode versions;
        try {
            versions = send("GET", "/subjects/" + encode(subject) + "/versions", null);
        } catch (RegistryClientException e) {
            if (e.status() == 404) {
                return out;
            }
            throw e;
        }
        for (JsonNode v : versions) {
            JsonNode version = send("GET", "/subjects/" + encode(subject) + "/versions/" + v.asInt(), null);
            int id = version.get("id").asInt();
            out.add(schemasById.computeIfAbsent(
                    id, i -> new Schema.Parser().parse(version.get("schema").asText())));
        }
        return out;
    }

    /** Not cached: the latest version moves when a schema evolves. */
    @Override
    public RegisteredSchema latest(String subject) {
        JsonNode v = send("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
        int id = v.get("id").asInt();
        Schema schema = schemasById.computeIfAbsent(
                id, i -> new Schema.Parser().parse(v.get("schema").asText()));
        return new RegisteredSchema(v.get("subject").asText(), v.get("version").asInt(), id, schema);
    }

    /** Also forgets the subject's cached ids, so that a later {@link #register} reaches the registry again. */
    @Override
    public List<Integer> deleteSubject(String subject) {
        idsBySubject.remove(subject);
        List<Integer> out = new ArrayList<>();
        try {
            send("DELETE", "/subjects/" + encode(subject), null).forEach(n -> out.add(n.asInt()));
        } catch (RegistryClientException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
        return out;
    }

    private static String schemaBody(Schema schema) {
        return JSON.createObjectNode().put("schema", schema.toString()).toString();
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(TIMEOUT)
                .header("Accept", CONTENT_TYPE)
                .header("Content-Type", CONTENT_TYPE)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryClientException(
                    "Schema registry " + method + " " + baseUrl + path + " failed: " + e, -1, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryClientException("Interrupted calling schema registry " + baseUrl + path, -1, -1, e);
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (IOException e) {
            json = null;
        }
        if (response.statusCode() != 200 || json == null) {
            int code = json == null ? -1 : json.path("error_code").asInt(-1);
            String message =
                    json == null ? response.body() : json.path("message").asText(response.body());
            throw new RegistryClientException(
                    "Schema registry " + method + " " + baseUrl + path + " answered " + response.statusCode()
                            + " (error_code " + code + "): " + message,
                    response.statusCode(),
                    code,
                    null);
        }
        return json;
    }
}
