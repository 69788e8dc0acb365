package dev.tributary.serde;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.SchemaStore;

/**
 * Avro's {@link SchemaStore} for single-object encoding, answered from the schema registry.
 *
 * <p>The Confluent REST API has no lookup by fingerprint, so on a miss the store fetches the live versions of
 * the likely subjects (the ones the subject strategy names for this topic), then of every subject, and indexes
 * them by their CRC-64-AVRO parsing fingerprint. Hits are a map lookup. Schemas the serializer registered
 * are added directly, so a producer never has to look its own schemas up.
 */
public final class RegistrySchemaStore implements SchemaStore {
    private final RegistryClient client;
    private final Map<Long, Schema> byFingerprint = new ConcurrentHashMap<>();

    public RegistrySchemaStore(RegistryClient client) {
        this.client = client;
    }

    /** Remembers a schema known to be in the registry. */
    public void add(Schema schema) {
        byFingerprint.putIfAbsent(SchemaNormalization.parsingFingerprint64(schema), schema);
    }

    @Override
    public Schema findByFingerprint(long fingerprint) {
        return findByFingerprint(fingerprint, List.of());
    }

    /** Looks in {@code likelySubjects} before scanning every subject. Returns null when no schema matches. */
    public Schema findByFingerprint(long fingerprint, List<String> likelySubjects) {
        Schema known = byFingerprint.get(fingerprint);
        if (known != null) {
            return known;
        }
        for (String subject : likelySubjects) {
            client.subjectSchemas(subject).forEach(this::add);
        }
        known = byFingerprint.get(fingerprint);
        if (known != null) {
            return known;
        }
        for (String subject : client.subjects()) {
            if (!likelySubjects.contains(subject)) {
                client.subjectSchemas(subject).forEach(this::add);
            }
        }
        return byFingerprint.get(fingerprint);
    }
}
