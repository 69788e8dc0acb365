package dev.tributary.registry;

import dev.tributary.registry.store.StoreRecord;
import dev.tributary.registry.store.StoreRecord.SchemaVersion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The registry's view of its store, rebuilt by applying the store's entries in order. No I/O, no decisions:
 * {@link SchemaRegistry} reads it to decide and writes entries that come back here through the store.
 *
 * <p>A schema entry for a (subject, version) that already holds a different schema or id is refused: the
 * first writer of a version wins. One registry never writes such an entry; registries on several brokers
 * that decide the next version at the same moment do, and this rule, applied in log order by every reader,
 * makes them all keep the same one ({@link SchemaRegistry#register} then tries again with the next version).
 *
 * <p>Thread-safety: every method is synchronized; the store's reader thread applies while HTTP threads read.
 * Accessors return copies.
 */
final class RegistryState {
    /** subject -> version -> entry, soft-deleted versions included. */
    private final Map<String, NavigableMap<Integer, SchemaVersion>> subjects = new TreeMap<>();
    /** id -> every (subject, version) entry that carries it; an id with no entries is gone. */
    private final Map<Integer, List<SchemaVersion>> byId = new HashMap<>();
    /** canonical schema text -> id, so the same schema gets the same id under every subject. */
    private final Map<String, Integer> idBySchema = new HashMap<>();

    private final Map<String, CompatibilityLevel> subjectLevels = new HashMap<>();
    private CompatibilityLevel globalLevel = CompatibilityLevel.DEFAULT;
    private int maxId;

    /** Applies one entry of the log; false when it is a schema entry refused by the first-writer rule. */
    synchronized boolean apply(StoreRecord record) {
        if (record instanceof SchemaVersion s) {
            if (!acceptable(s)) {
                return false;
            }
            removeVersion(s.subject(), s.version());
            subjects.computeIfAbsent(s.subject(), k -> new TreeMap<>()).put(s.version(), s);
            byId.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s);
            idBySchema.putIfAbsent(s.schema(), s.id());
            maxId = Math.max(maxId, s.id());
        } else if (record instanceof StoreRecord.SubjectConfig c) {
            if (c.subject() == null) {
                globalLevel = c.level();
            } else {
                subjectLevels.put(c.subject(), c.level());
            }
        } else if (record instanceof StoreRecord.Tombstone t) {
            if (t.key().type() == StoreRecord.KeyType.SCHEMA) {
                removeVersion(t.key().subject(), t.key().version());
            } else if (t.key().subject() == null) {
                globalLevel = CompatibilityLevel.DEFAULT;
            } else {
                subjectLevels.remove(t.key().subject());
            }
        }
        return true;
    }

    /** True unless the version is already taken by another schema or id (a soft delete keeps both). */
    private boolean acceptable(SchemaVersion s) {
        NavigableMap<Integer, SchemaVersion> versions = subjects.get(s.subject());
        SchemaVersion held = versions == null ? null : versions.get(s.version());
        return held == null || sameSchemaAndId(held, s);
    }

    /** The same version of the same schema under the same id, whether or not either is soft-deleted. */
    static boolean sameSchemaAndId(SchemaVersion a, SchemaVersion b) {
        return a.id() == b.id() && a.schema().equals(b.schema());
    }

    private void removeVersion(String subject, int version) {
        NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
        if (versions == null) {
            return;
        }
        SchemaVersion old = versions.remove(version);
        if (versions.isEmpty()) {
            subjects.remove(subject);
        }
        if (old != null) {
            List<SchemaVersion> holders = byId.get(old.id());
            holders.remove(old);
            if (holders.isEmpty()) {
                byId.remove(old.id());
                idBySchema.remove(old.schema(), old.id());
            }
        }
    }

    /** All versions of a subject, soft-deleted included, oldest first; empty when unknown. */
    synchronized List<SchemaVersion> versions(String subject) {
        NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
        return versions == null ? List.of() : List.copyOf(versions.values());
    }

    /** The entry of one version of a subject, soft-deleted or not. */
    synchronized Optional<SchemaVersion> version(String subject, int version) {
        NavigableMap<Integer, SchemaVersion> versions = subjects.get(subject);
        return Optional.ofNullable(versions == null ? null : versions.get(version));
    }

    synchronized List<SchemaVersion> liveVersions(String subject) {
        return versions(subject).stream().filter(v -> !v.deleted()).toList();
    }

    /** Subjects with at least one live version (or any version when {@code includeDeleted}), sorted. */
    synchronized List<String> subjects(boolean includeDeleted) {
        List<String> out = new ArrayList<>();
        subjects.forEach((name, versions) -> {
            if (includeDeleted || versions.values().stream().anyMatch(v -> !v.deleted())) {
                out.add(name);
            }
        });
        return out;
    }

    synchronized Optional<String> schemaById(int id) {
        List<SchemaVersion> holders = byId.get(id);
        return holders == null ? Optional.empty() : Optional.of(holders.get(0).schema());
    }

    /** The (subject, version) entries that carry an id, sorted by subject then version. */
    synchronized List<SchemaVersion> usesOf(int id) {
        List<SchemaVersion> holders = byId.getOrDefault(id, List.of());
        TreeSet<SchemaVersion> sorted = new TreeSet<>((a, b) -> a.subject().equals(b.subject())
                ? Integer.compare(a.version(), b.version())
                : a.subject().compareTo(b.subject()));
        sorted.addAll(holders);
        return List.copyOf(sorted);
    }

    synchronized Optional<Integer> idOf(String canonicalSchema) {
        return Optional.ofNullable(idBySchema.get(canonicalSchema));
    }

    synchronized int maxId() {
        return maxId;
    }

    synchronized Optional<CompatibilityLevel> subjectLevel(String subject) {
        return Optional.ofNullable(subjectLevels.get(subject));
    }

    synchronized CompatibilityLevel globalLevel() {
        return globalLevel;
    }

    synchronized CompatibilityLevel effectiveLevel(String subject) {
        return subjectLevels.getOrDefault(subject, globalLevel);
    }
}
