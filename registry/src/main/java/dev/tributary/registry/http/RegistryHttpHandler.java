package dev.tributary.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tributary.registry.CompatibilityChecker.CompatibilityResult;
import dev.tributary.registry.CompatibilityLevel;
import dev.tributary.registry.RegistryError;
import dev.tributary.registry.RegistryException;
import dev.tributary.registry.SchemaRegistry;
import dev.tributary.registry.store.StoreRecord.SchemaVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps the Confluent Schema Registry REST paths onto {@link SchemaRegistry} and its answers onto Confluent's
 * JSON shapes. Errors are {@code {"error_code":N,"message":"..."}} with the status from {@link RegistryError}.
 *
 * <pre>
 * GET          /subjects                                   GET, POST /subjects/{s}/versions
 * GET, DELETE  /subjects/{s}/versions/{v|latest}           GET       /subjects/{s}/versions/{v}/schema
 * POST, DELETE /subjects/{s}                               GET       /schemas/ids/{id}[/versions|/schema]
 * GET, PUT     /config          GET, PUT, DELETE /config/{s}
 * POST         /compatibility/subjects/{s}/versions/{v}
 * GET          /schemas/types, /mode, /subjects/{s}/versions/{v}/referencedby   (for tools; fixed answers)
 * </pre>
 */
public final class RegistryHttpHandler implements HttpHandler {
    public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryHttpHandler.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bodies are one schema; 8 MiB is far above any real Avro schema and keeps a bad client from filling the heap. */
    public static final int MAX_BODY_BYTES = 8 << 20;

    private final SchemaRegistry registry;

    public RegistryHttpHandler(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Request request = Request.of(exchange);
            Object body;
            int status = 200;
            try {
                registry.awaitLoaded();
                body = route(request);
            } catch (RegistryException e) {
                status = e.error().httpStatus();
                body = error(e.error().errorCode(), e.getMessage());
            } catch (RuntimeException e) {
                LOG.warn("registry request {} {} failed", request.method, exchange.getRequestURI(), e);
                status = RegistryError.STORE_ERROR.httpStatus();
                body = error(RegistryError.STORE_ERROR.errorCode(), "Error in the backend data store: " + e);
            }
            byte[] bytes = body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
            exchange.getResponseHeaders()
                    .set("Content-Type", body instanceof String ? "application/json" : CONTENT_TYPE);
            exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private Object route(Request r) {
        List<String> p = r.path;
        String first = p.isEmpty() ? "" : p.get(0);
        switch (first) {
            case "":
                r.allow("GET");
                return JSON.createObjectNode();
            case "subjects":
                return subjects(r, p);
            case "schemas":
                if (p.size() >= 3 && p.get(1).equals("ids")) {
                    return schemas(r, p);
                }
                if (p.size() == 2 && p.get(1).equals("types")) {
                    r.allow("GET");
                    return List.of("AVRO");
                }
                break;
            case "mode":
                // read-only tools ask; this registry has no IMPORT/READONLY modes
                r.allow("GET");
                return JSON.createObjectNode().put("mode", "READWRITE");
            case "config":
                return config(r, p);
            case "compatibility":
                if (p.size() == 5 && p.get(1).equals("subjects") && p.get(3).equals("versions")) {
                    r.allow("POST");
                    SchemaBody body = r.schemaBody();
                    CompatibilityResult result = registry.testCompatibility(p.get(2), p.get(4), body.schema, body.type);
                    ObjectNode out = JSON.createObjectNode().put("is_compatible", result.compatible());
                    if (r.flag("verbose")) {
                        ArrayNode messages = out.putArray("messages");
                        result.reasons().forEach(messages::add);
                    }
                    return out;
                }
                break;
            default:
                break;
        }
        throw RegistryError.NOT_FOUND.exception("HTTP 404 Not Found: " + r.rawPath);
    }

    private Object subjects(Request r, List<String> p) {
        if (p.size() == 1) {
            r.allow("GET");
            return registry.subjects(r.flag("deleted"));
        }
        String subject = p.get(1);
        if (p.size() == 2) {
            r.allow("POST", "DELETE");
            if (r.method.equals("POST")) {
                SchemaBody body = r.schemaBody();
                return versionJson(registry.lookup(subject, body.schema, body.type));
            }
            return registry.deleteSubject(subject, r.flag("permanent"));
        }
        if (!p.get(2).equals("versions") || p.size() > 5) {
            throw RegistryError.NOT_FOUND.exception("HTTP 404 Not Found: " + r.rawPath);
        }
        if (p.size() == 3) {
            r.allow("GET", "POST");
            if (r.method.equals("GET")) {
                return registry.versions(subject, r.flag("deleted"));
            }
            SchemaBody body = r.schemaBody();
            return JSON.createObjectNode().put("id", registry.register(subject, body.schema, body.type));
        }
        String version = p.get(3);
        if (p.size() == 5) {
            r.allow("GET");
            SchemaVersion v = registry.version(subject, version, r.flag("deleted"));
            switch (p.get(4)) {
                case "schema":
                    return v.schema();
                case "referencedby":
                    return List.of(); // schema references are not supported
                default:
                    throw RegistryError.NOT_FOUND.exception("HTTP 404 Not Found: " + r.rawPath);
            }
        }
        r.allow("GET", "DELETE");
        if (r.method.equals("GET")) {
            return versionJson(registry.version(subject, version, r.flag("deleted")));
        }
        return registry.deleteVersion(subject, version, r.flag("permanent"));
    }

    private Object schemas(Request r, List<String> p) {
        r.allow("GET");
        int id;
        try {
            id = Integer.parseInt(p.get(2));
        } catch (NumberFormatException e) {
            throw RegistryError.SCHEMA_NOT_FOUND.exception("Schema " + p.get(2) + " not found");
        }
        if (p.size() == 3) {
            return JSON.createObjectNode().put("schema", registry.schemaById(id));
        }
        if (p.size() == 4 && p.get(3).equals("versions")) {
            ArrayNode out = JSON.createArrayNode();
            for (SchemaVersion v : registry.usesOf(id, r.flag("deleted"))) {
                out.addObject().put("subject", v.subject()).put("version", v.version());
            }
            return out;
        }
        if (p.size() == 4 && p.get(3).equals("schema")) {
            return registry.schemaById(id);
        }
        throw RegistryError.NOT_FOUND.exception("HTTP 404 Not Found: " + r.rawPath);
    }

    private Object config(Request r, List<String> p) {
        if (p.size() > 2) {
            throw RegistryError.NOT_FOUND.exception("HTTP 404 Not Found: " + r.rawPath);
        }
        String subject = p.size() == 2 ? p.get(1) : null;
        r.allow(subject == null ? new String[] {"GET", "PUT"} : new String[] {"GET", "PUT", "DELETE"});
        switch (r.method) {
            case "GET": {
                CompatibilityLevel level;
                if (subject == null) {
                    level = registry.globalLevel();
                } else if (r.flag("defaultToGlobal")) {
                    level = registry.effectiveLevel(subject);
                } else {
                    Optional<CompatibilityLevel> own = registry.subjectLevel(subject);
                    level = own.orElseThrow(() -> RegistryError.SUBJECT_LEVEL_COMPATIBILITY_NOT_CONFIGURED.exception(
                            "Subject '" + subject + "' does not have subject-level compatibility configured"));
                }
                return JSON.createObjectNode().put("compatibilityLevel", level.name());
            }
            case "PUT": {
                JsonNode body = r.json();
                JsonNode level = body.has("compatibility") ? body.get("compatibility") : body.get("compatibilityLevel");
                CompatibilityLevel set = registry.setLevel(
                        subject, CompatibilityLevel.parse(level == null || level.isNull() ? null : level.asText()));
                return JSON.createObjectNode().put("compatibility", set.name());
            }
            default:
                return JSON.createObjectNode()
                        .put("compatibilityLevel", registry.clearLevel(subject).name());
        }
    }

    private static ObjectNode versionJson(SchemaVersion v) {
        return JSON.createObjectNode()
                .put("subject", v.subject())
                .put("version", v.version())
                .put("id", v.id())
                .put("schema", v.schema());
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private record SchemaBody(String schema, String type) {}

    /** One request: method, decoded path segments, query and body. */
    private static final class Request {
        final String method;
        final String rawPath;
        final List<String> path;
        final String query;
        final HttpExchange exchange;

        private Request(HttpExchange exchange) {
            this.exchange = exchange;
            this.method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
            this.rawPath = exchange.getRequestURI().getRawPath();
            this.query = exchange.getRequestURI().getRawQuery();
            this.path = PathSegments.split(rawPath);
        }

        static Request of(HttpExchange exchange) {
            return new Request(exchange);
        }

        void allow(String... methods) {
            for (String m : methods) {
                if (m.equals(method)) {
                    return;
                }
            }
            throw RegistryError.METHOD_NOT_ALLOWED.exception("HTTP 405 Method Not Allowed: " + method + " " + rawPath);
        }

        boolean flag(String name) {
            return "true".equalsIgnoreCase(PathSegments.queryParam(query, name));
        }

        JsonNode json() {
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
                if (bytes.length > MAX_BODY_BYTES) {
                    throw RegistryError.UNPROCESSABLE_REQUEST.exception(
                            "Request body larger than " + MAX_BODY_BYTES + " bytes");
                }
                JsonNode node = bytes.length == 0 ? null : JSON.readTree(bytes);
                if (node == null || !node.isObject()) {
                    throw RegistryError.UNPROCESSABLE_REQUEST.exception("Request body must be a JSON object");
                }
                return node;
            } catch (JsonProcessingException e) {
                throw RegistryError.BAD_REQUEST.exception("Malformed JSON body: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        SchemaBody schemaBody() {
            JsonNode body = json();
            JsonNode refs = body.get("references");
            if (refs != null && refs.isArray() && refs.size() > 0) {
                throw RegistryError.INVALID_SCHEMA.exception("Schema references are not supported by this registry");
            }
            JsonNode schema = body.get("schema");
            JsonNode type = body.get("schemaType");
            return new SchemaBody(
                    schema == null || !schema.isTextual() ? null : schema.asText(),
                    type == null || type.isNull() ? null : type.asText());
        }
    }
}
