package dev.tributary.registry.store;

import dev.tributary.registry.CompatibilityLevel;

/**
 * One entry of the registry's log, as kept in the {@code _schemas} topic (see {@link SchemasTopicFormat} for
 * the bytes). The key says what the entry is about; a later entry with the same key replaces an earlier one,
 * which is what lets the topic be compacted.
 */
public sealed interface StoreRecord
        permits StoreRecord.SchemaVersion, StoreRecord.SubjectConfig, StoreRecord.Tombstone {

    /** The compaction key: which schema version or which configuration the entry replaces. */
    StoreKey key();

    /** Version {@code version} of {@code subject} is schema {@code id}; {@code deleted} marks a soft delete. */
    record SchemaVersion(String subject, int version, int id, String schema, boolean deleted) implements StoreRecord {
        @Override
        public StoreKey key() {
            return StoreKey.schema(subject, version);
        }

        public SchemaVersion softDeleted() {
            return new SchemaVersion(subject, version, id, schema, true);
        }
    }

    /** The compatibility level of {@code subject}, or the global default when {@code subject} is null. */
    record SubjectConfig(String subject, CompatibilityLevel level) implements StoreRecord {
        @Override
        public StoreKey key() {
            return StoreKey.config(subject);
        }
    }

    /** Permanent deletion of whatever the key named (a Kafka tombstone: null value). */
    record Tombstone(StoreKey key) implements StoreRecord {}

    /** What an entry is about. {@code subject} is null only for the global config; {@code version} is 0 for config. */
    record StoreKey(KeyType type, String subject, int version) {
        public static StoreKey schema(String subject, int version) {
            return new StoreKey(KeyType.SCHEMA, subject, version);
        }

        public static StoreKey config(String subject) {
            return new StoreKey(KeyType.CONFIG, subject, 0);
        }
    }

    /** The key types we write; others found in the topic (Confluent's NOOP, MODE, ...) are skipped. */
    enum KeyType {
        SCHEMA,
        CONFIG
    }
}
