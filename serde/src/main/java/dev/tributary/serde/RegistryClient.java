package dev.tributary.serde;

import java.util.List;
import org.apache.avro.Schema;

/**
 * What the serde needs from a schema registry. {@link CachingRegistryClient} speaks the Confluent REST API;
 * a test or benchmark may stand in its own.
 */
public interface RegistryClient {

    /** Registers (or finds) {@code schema} under {@code subject}; returns its global id. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} already registered under {@code subject}; fails when it is not. */
    int lookup(String subject, Schema schema);

    /** The schema with a global id. */
    Schema schemaById(int id);

    /** Every subject the registry holds. */
    List<String> subjects();

    /** Every live schema version of a subject, oldest first; empty when the subject is unknown. */
    List<Schema> subjectSchemas(String subject);

    /** The latest live version of a subject (e.g. to derive a table schema from a topic); 40401 when unknown. */
    RegisteredSchema latest(String subject);

    /**
     * Soft-deletes a subject (every version; ids stay resolvable) and returns the versions deleted, empty when
     * the subject is unknown or already deleted. Registering under the subject afterwards starts it again.
     */
    List<Integer> deleteSubject(String subject);

    /** A schema as registered under a subject. */
    record RegisteredSchema(String subject, int version, int id, Schema schema) {}
}
