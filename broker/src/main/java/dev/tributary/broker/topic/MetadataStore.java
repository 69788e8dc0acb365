package dev.tributary.broker.topic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.log.internal.AtomicFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The file {@code <data dir>/tributary-metadata.json}: cluster id, topics (id, partition count, config
 * overrides) and dynamic broker configs. Partition data lives in core-log's {@code <topic>-<n>/}
 * directories; this file holds what Kafka keeps in its metadata log.
 *
 * <pre>
 * { "version": 1, "clusterId": "...",
 *   "topics": [ { "name": "orders", "topicId": "uuid", "partitions": 3, "configs": { "retention.ms": "1000" } } ],
 *   "brokerConfigs": { "log.retention.ms": "..." } }
 * </pre>
 *
 * Written whole to a temporary file, forced, then renamed over the old one, so a crash leaves either
 * the old or the new version. Called under {@link TopicManager}'s lock only.
 */
public final class MetadataStore {
    public static final String FILE_NAME = "tributary-metadata.json";
    static final int VERSION = 1;

    /** The file's content. */
    public record Snapshot(String clusterId, Map<String, TopicInfo> topics, Map<String, String> brokerConfigs) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public MetadataStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    public Snapshot load() throws IOException {
        if (!Files.exists(file)) {
            return new Snapshot(
                    UUID.randomUUID().toString().replace("-", "").substring(0, 22), new TreeMap<>(), new TreeMap<>());
        }
        JsonNode root = JSON.readTree(file.toFile());
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new IOException(
                    file + ": unsupported metadata version " + version + " (this broker reads " + VERSION + ")");
        }
        Map<String, TopicInfo> topics = new TreeMap<>();
        for (JsonNode t : root.path("topics")) {
            TopicInfo info = new TopicInfo(
                    t.path("name").asText(),
                    UUID.fromString(t.path("topicId").asText()),
                    t.path("partitions").asInt(),
                    toMap(t.path("configs")));
            topics.put(info.name(), info);
        }
        return new Snapshot(root.path("clusterId").asText(), topics, new TreeMap<>(toMap(root.path("brokerConfigs"))));
    }

    public void save(Snapshot snapshot) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        root.put("clusterId", snapshot.clusterId());
        ArrayNode topics = root.putArray("topics");
        for (TopicInfo t : snapshot.topics().values()) {
            ObjectNode n = topics.addObject();
            n.put("name", t.name());
            n.put("topicId", t.topicId().toString());
            n.put("partitions", t.partitions());
            ObjectNode c = n.putObject("configs");
            new TreeMap<>(t.configs()).forEach(c::put);
        }
        ObjectNode b = root.putObject("brokerConfigs");
        snapshot.brokerConfigs().forEach(b::put);
        AtomicFile.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), true);
    }

    private static Map<String, String> toMap(JsonNode n) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().asText());
        }
        return m;
    }
}
