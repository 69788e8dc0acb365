package dev.tributary.registry.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tributary.registry.CompatibilityLevel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The key and value bytes of the {@code _schemas} topic: UTF-8 JSON in the same shape Confluent's registry
 * writes, so the topic reads the same with either tool.
 *
 * <pre>
 * key   SCHEMA  {"keytype":"SCHEMA","subject":"orders-value","version":3,"magic":1}
 * value         {"subject":"orders-value","version":3,"id":7,"schema":"{...}","deleted":false}
 * key   CONFIG  {"keytype":"CONFIG","subject":"orders-value","magic":0}     (subject null = global)
 * value         {"compatibilityLevel":"FULL"}
 * value null    tombstone: the key's entry is permanently deleted (and compaction drops it)
 * </pre>
 *
 * <p>{@code magic} is the key format version (1 for schema keys, 0 for config keys, as Confluent has them).
 * Keys of other types (Confluent's NOOP, MODE, DELETE_SUBJECT) decode to empty and are skipped. Ids are not
 * stored apart: the next id is one above the highest id found in the schema values, so ids survive restarts.
 */
public final class SchemasTopicFormat {
    static final int SCHEMA_KEY_MAGIC = 1;
    static final int CONFIG_KEY_MAGIC = 0;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SchemasTopicFormat() {}

    public static byte[] key(StoreRecord.StoreKey key) {
        ObjectNode node = JSON.createObjectNode();
        node.put("keytype", key.type().name());
        node.put("subject", key.subject());
        if (key.type() == StoreRecord.KeyType.SCHEMA) {
            node.put("version", key.version());
            node.put("magic", SCHEMA_KEY_MAGIC);
        } else {
            node.put("magic", CONFIG_KEY_MAGIC);
        }
        return bytes(node);
    }

    /** The value bytes, or null for a tombstone. */
    public static byte[] value(StoreRecord record) {
        if (record instanceof StoreRecord.SchemaVersion s) {
            ObjectNode node = JSON.createObjectNode();
            node.put("subject", s.subject());
            node.put("version", s.version());
            node.put("id", s.id());
            node.put("schema", s.schema());
            node.put("deleted", s.deleted());
            return bytes(node);
        }
        if (record instanceof StoreRecord.SubjectConfig c) {
            ObjectNode node = JSON.createObjectNode();
            node.put("compatibilityLevel", c.level().name());
            return bytes(node);
        }
        return null;
    }

    /**
     * Decodes one topic record.
     *
     * @param offset only for the error message
     * @throws CorruptStoreRecordException when the bytes are not a record this format describes
     */
    public static Optional<StoreRecord> decode(byte[] key, byte[] value, long offset) {
        if (key == null) {
            throw new CorruptStoreRecordException(offset, key, "null key");
        }
        JsonNode k = parse(key, offset, key);
        String type = k.path("keytype").asText("");
        JsonNode subjectNode = k.get("subject");
        String subject = subjectNode == null || subjectNode.isNull() ? null : subjectNode.asText();
        StoreRecord.StoreKey storeKey;
        switch (type) {
            case "SCHEMA":
                if (subject == null || !k.path("version").canConvertToInt()) {
                    throw new CorruptStoreRecordException(offset, key, "schema key without subject or version");
                }
                storeKey = StoreRecord.StoreKey.schema(subject, k.get("version").asInt());
                break;
            case "CONFIG":
                storeKey = StoreRecord.StoreKey.config(subject);
                break;
            default:
                return Optional.empty();
        }
        if (value == null) {
            return Optional.of(new StoreRecord.Tombstone(storeKey));
        }
        JsonNode v = parse(value, offset, value);
        if (storeKey.type() == StoreRecord.KeyType.SCHEMA) {
            if (!v.path("id").canConvertToInt() || !v.path("schema").isTextual()) {
                throw new CorruptStoreRecordException(offset, value, "schema value without id or schema");
            }
            return Optional.of(new StoreRecord.SchemaVersion(
                    storeKey.subject(),
                    storeKey.version(),
                    v.get("id").asInt(),
                    v.get("schema").asText(),
                    v.path("deleted").asBoolean(false)));
        }
        try {
            return Optional.of(new StoreRecord.SubjectConfig(
                    subject,
                    CompatibilityLevel.parse(v.path("compatibilityLevel").asText(null))));
        } catch (RuntimeException e) {
            throw new CorruptStoreRecordException(offset, value, "bad compatibilityLevel");
        }
    }

    private static JsonNode parse(byte[] bytes, long offset, byte[] shown) {
        try {
            JsonNode node = JSON.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new CorruptStoreRecordException(offset, shown, "not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new CorruptStoreRecordException(
                    offset,
                    shown,
                    "not JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
