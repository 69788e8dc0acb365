package dev.tributary.registry;

import dev.tributary.registry.store.RegistryStore;
import dev.tributary.registry.store.StoreRecord;
import dev.tributary.registry.store.StoreRecord.SchemaVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's operations, one method per REST call, independent of HTTP. Decisions read
 * {@link RegistryState}; changes are written to the {@link RegistryStore} and become visible when the store
 * hands them back, so the state is the same after a restart as before it.
 *
 * <p>Writes are serialized on one lock so that "next version" and "next id" are decided against a state that
 * no other write of this registry can change in between. Registries on other brokers may write to the same
 * store at the same time: ids then come from a shared {@link SchemaIdSource}, so no id is given twice, and a
 * version two of them wrote at once goes to the first in the log ({@link RegistryState}); the other one sees
 * that when its write comes back, writes the winner's entry again (so that compaction, which keeps the last
 * entry of a key, keeps the winner) and registers once more against the state it now has.
 * Expected refusals are {@link RegistryException}s carrying a {@link RegistryError}.
 */
public final class SchemaRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistry.class);
    /**
     * Registrations that lose a version to another broker's registry are tried again, after a random pause of up
     * to {@link #RETRY_PAUSE_MS} times the attempt so that writers racing for one subject spread out; each loss
     * means another registration went through, so this only runs out when many writers hit one subject at once.
     */
    static final int REGISTER_ATTEMPTS = 10;

    static final int RETRY_PAUSE_MS = 10;
    /** How long a request waits for a store still loading in the background before it is answered 50002. */
    static final Duration LOAD_WAIT = Duration.ofSeconds(5);

    private final RegistryState state = new RegistryState();
    private final RegistryStore store;
    private final SchemaIdSource ids;
    private final Object writeLock = new Object();
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();
    private volatile boolean closing;

    /** Starts the store, which replays what it holds, then serves; ids follow the highest read. */
    public SchemaRegistry(RegistryStore store) {
        this(store, SchemaIdSource.AFTER_HIGHEST_READ);
    }

    /** Starts the store, which replays what it holds, then serves, taking new ids from {@code ids}. */
    public SchemaRegistry(RegistryStore store, SchemaIdSource ids) {
        this(store, ids, true);
    }

    private SchemaRegistry(RegistryStore store, SchemaIdSource ids, boolean startNow) {
        this.store = store;
        this.ids = ids;
        if (startNow) {
            store.start(state::apply);
            loaded.complete(null);
        }
    }

    /**
     * A registry whose store starts on a thread of its own, for a broker of a cluster whose {@code _schemas}
     * may not exist yet or may have no leader for now: the broker's start does not wait for it. Until the store
     * has replayed what it holds, each request waits up to {@link #LOAD_WAIT} and is then refused with
     * {@link RegistryError#OPERATION_TIMEOUT}.
     */
    public static SchemaRegistry loadingInBackground(RegistryStore store, SchemaIdSource ids) {
        SchemaRegistry registry = new SchemaRegistry(store, ids, false);
        Thread loader = new Thread(
                () -> {
                    try {
                        store.start(registry.state::apply);
                        registry.loaded.complete(null);
                    } catch (RuntimeException e) {
                        if (registry.closing) {
                            LOG.info("schema registry closed before its store had started: {}", e.getMessage());
                        } else {
                            LOG.error("schema registry store did not start", e);
                        }
                        registry.loaded.completeExceptionally(e);
                    }
                },
                "tributary-registry-loader");
        loader.setDaemon(true);
        loader.start();
        return registry;
    }

    /** Returns once the store has replayed what it held at start; refuses after {@link #LOAD_WAIT}. */
    public void awaitLoaded() {
        if (loaded.isDone() && !loaded.isCompletedExceptionally()) {
            return;
        }
        try {
            loaded.get(LOAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw RegistryError.OPERATION_TIMEOUT.exception(
                    "The schema registry has not finished reading its store yet; try again shortly");
        } catch (ExecutionException e) {
            throw new RegistryException(
                    RegistryError.STORE_ERROR, "The schema registry's store did not start: " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryError.STORE_ERROR, "Interrupted waiting for the store", e);
        }
    }

    // ---- subjects and versions ---------------------------------------------------------------------------

    public List<String> subjects(boolean includeDeleted) {
        return state.subjects(includeDeleted);
    }

    public List<Integer> versions(String subject, boolean includeDeleted) {
        List<SchemaVersion> versions = includeDeleted ? state.versions(subject) : state.liveVersions(subject);
        if (versions.isEmpty()) {
            throw subjectNotFound(subject);
        }
        return versions.stream().map(SchemaVersion::version).toList();
    }

    /** {@code version} is a positive number, "latest" or -1. */
    public SchemaVersion version(String subject, String version, boolean includeDeleted) {
        List<SchemaVersion> versions = includeDeleted ? state.versions(subject) : state.liveVersions(subject);
        if (versions.isEmpty()) {
            throw subjectNotFound(subject);
        }
        int wanted = parseVersion(version);
        if (wanted == -1) {
            return versions.get(versions.size() - 1);
        }
        return versions.stream()
                .filter(v -> v.version() == wanted)
                .findFirst()
                .orElseThrow(() -> RegistryError.VERSION_NOT_FOUND.exception(
                        "Version " + version + " not found for subject '" + subject + "'."));
    }

    /** Registers a schema under a subject; returns its id (the existing id when already registered). */
    public int register(String subject, String schemaText, String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        String canonical = schema.toString();
        synchronized (writeLock) {
            for (int attempt = 1; attempt <= REGISTER_ATTEMPTS; attempt++) {
                OptionalInt id = tryRegister(subject, schema, canonical);
                if (id.isPresent()) {
                    return id.getAsInt();
                }
                pauseBeforeAttempt(attempt + 1);
            }
        }
        throw RegistryError.OPERATION_TIMEOUT.exception("Registering under subject '" + subject + "' lost to other"
                + " registries writing the same subject " + REGISTER_ATTEMPTS + " times; try again");
    }

    /** One attempt: the id, or empty when another registry wrote the chosen version first. */
    private OptionalInt tryRegister(String subject, Schema schema, String canonical) {
        // one snapshot of the subject for every decision: the store's reader may apply other registries'
        // entries meanwhile (while an id is being allocated, say); a version chosen from a newer state than the
        // one checked for this schema could register it a second time under the next version
        List<SchemaVersion> all = state.versions(subject);
        List<SchemaVersion> live = all.stream().filter(v -> !v.deleted()).toList();
        for (SchemaVersion v : live) {
            if (v.schema().equals(canonical)) {
                return OptionalInt.of(v.id());
            }
        }
        CompatibilityLevel level = state.effectiveLevel(subject);
        CompatibilityChecker.CompatibilityResult result = CompatibilityChecker.check(level, schema, newestFirst(live));
        if (!result.compatible()) {
            throw RegistryError.INCOMPATIBLE_SCHEMA.exception("Schema being registered is incompatible with"
                    + " an earlier schema for subject '" + subject + "' under compatibility level " + level
                    + ", details: " + result.reasons());
        }
        int version = all.isEmpty() ? 1 : all.get(all.size() - 1).version() + 1;
        int id = state.idOf(canonical).orElseGet(() -> ids.next(state.maxId() + 1));
        SchemaVersion mine = new SchemaVersion(subject, version, id, canonical, false);
        store.write(mine);
        Optional<SchemaVersion> kept = state.version(subject, version);
        if (kept.isEmpty() || RegistryState.sameSchemaAndId(kept.get(), mine)) {
            return OptionalInt.of(id); // empty: ours was kept, then deleted by a later entry
        }
        LOG.info(
                "Version {} of subject '{}' was written first by another registry (id {}); registering again",
                version,
                subject,
                kept.get().id());
        store.write(kept.get()); // the last entry of the key is the kept one again, for compaction
        return OptionalInt.empty();
    }

    private static void pauseBeforeAttempt(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, RETRY_PAUSE_MS * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryError.STORE_ERROR, "Interrupted registering a schema", e);
        }
    }

    /** The live version of a subject that holds this schema. */
    public SchemaVersion lookup(String subject, String schemaText, String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        List<SchemaVersion> live = state.liveVersions(subject);
        if (live.isEmpty()) {
            throw subjectNotFound(subject);
        }
        String canonical = schema.toString();
        return live.stream()
                .filter(v -> v.schema().equals(canonical))
                .findFirst()
                .orElseThrow(() ->
                        RegistryError.SCHEMA_NOT_FOUND.exception("Schema not found under subject '" + subject + "'."));
    }

    /** Soft-deletes a version, or removes an already soft-deleted one for good when {@code permanent}. */
    public int deleteVersion(String subject, String version, boolean permanent) {
        synchronized (writeLock) {
            SchemaVersion v = version(subject, version, true);
            if (!permanent) {
                if (v.deleted()) {
                    throw RegistryError.SCHEMA_VERSION_SOFT_DELETED.exception("Subject '" + subject + "' Version "
                            + v.version() + " was soft deleted. Set permanent=true to delete permanently");
                }
                store.write(v.softDeleted());
            } else {
                if (!v.deleted()) {
                    throw RegistryError.SCHEMA_VERSION_NOT_SOFT_DELETED.exception("Subject '" + subject + "' Version "
                            + v.version() + " was not deleted first before being permanently deleted");
                }
                store.write(new StoreRecord.Tombstone(v.key()));
            }
            return v.version();
        }
    }

    /** Soft-deletes every live version, or removes a fully soft-deleted subject for good when {@code permanent}. */
    public List<Integer> deleteSubject(String subject, boolean permanent) {
        synchronized (writeLock) {
            List<SchemaVersion> all = state.versions(subject);
            if (all.isEmpty()) {
                throw subjectNotFound(subject);
            }
            List<SchemaVersion> live = all.stream().filter(v -> !v.deleted()).toList();
            List<Integer> deleted = new ArrayList<>();
            if (!permanent) {
                if (live.isEmpty()) {
                    throw RegistryError.SUBJECT_SOFT_DELETED.exception(
                            "Subject '" + subject + "' was soft deleted. Set permanent=true to delete permanently");
                }
                for (SchemaVersion v : live) {
                    store.write(v.softDeleted());
                    deleted.add(v.version());
                }
            } else {
                if (!live.isEmpty()) {
                    throw RegistryError.SUBJECT_NOT_SOFT_DELETED.exception(
                            "Subject '" + subject + "' was not deleted first before being permanently deleted");
                }
                for (SchemaVersion v : all) {
                    store.write(new StoreRecord.Tombstone(v.key()));
                    deleted.add(v.version());
                }
                if (state.subjectLevel(subject).isPresent()) {
                    store.write(new StoreRecord.Tombstone(StoreRecord.StoreKey.config(subject)));
                }
            }
            return deleted;
        }
    }

    // ---- schemas by id ------------------------------------------------------------------------------------

    public String schemaById(int id) {
        return state.schemaById(id).orElseThrow(() -> schemaNotFound(id));
    }

    public List<SchemaVersion> usesOf(int id, boolean includeDeleted) {
        if (state.schemaById(id).isEmpty()) {
            throw schemaNotFound(id);
        }
        return state.usesOf(id).stream()
                .filter(v -> includeDeleted || !v.deleted())
                .toList();
    }

    // ---- configuration ------------------------------------------------------------------------------------

    public CompatibilityLevel globalLevel() {
        return state.globalLevel();
    }

    public Optional<CompatibilityLevel> subjectLevel(String subject) {
        return state.subjectLevel(subject);
    }

    public CompatibilityLevel effectiveLevel(String subject) {
        return state.effectiveLevel(subject);
    }

    /** Sets the level of a subject, or the global level when {@code subject} is null. */
    public CompatibilityLevel setLevel(String subject, CompatibilityLevel level) {
        synchronized (writeLock) {
            store.write(new StoreRecord.SubjectConfig(subject, level));
            return level;
        }
    }

    /** Removes a subject's own level (it falls back to the global one); returns the removed level. */
    public CompatibilityLevel clearLevel(String subject) {
        synchronized (writeLock) {
            CompatibilityLevel old = state.subjectLevel(subject).orElseThrow(() -> subjectNotFound(subject));
            store.write(new StoreRecord.Tombstone(StoreRecord.StoreKey.config(subject)));
            return old;
        }
    }

    // ---- compatibility test -------------------------------------------------------------------------------

    /**
     * Checks a schema against one version of a subject ({@code "latest"} checks as a registration would:
     * transitive levels against all live versions).
     */
    public CompatibilityChecker.CompatibilityResult testCompatibility(
            String subject, String version, String schemaText, String schemaType) {
        Schema schema = parse(schemaText, schemaType);
        List<SchemaVersion> live = state.liveVersions(subject);
        CompatibilityLevel level = state.effectiveLevel(subject);
        if (parseVersion(version) == -1) {
            // as Confluent's registry since 7.x: a schema is compatible with a subject that has none yet
            return CompatibilityChecker.check(level, schema, newestFirst(live));
        }
        if (live.isEmpty()) {
            throw subjectNotFound(subject);
        }
        SchemaVersion against = version(subject, version, false);
        return CompatibilityChecker.check(
                level.nonTransitive(), schema, List.of(new Schema.Parser().parse(against.schema())));
    }

    @Override
    public void close() {
        closing = true;
        store.close();
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    static Schema parse(String schemaText, String schemaType) {
        if (schemaType != null && !schemaType.toUpperCase(Locale.ROOT).equals("AVRO")) {
            throw RegistryError.INVALID_SCHEMA.exception(
                    "Schema type " + schemaType + " is not supported by this registry; only AVRO is.");
        }
        if (schemaText == null || schemaText.isBlank()) {
            throw RegistryError.INVALID_SCHEMA.exception("Invalid schema: empty schema text");
        }
        try {
            return new Schema.Parser().parse(schemaText);
        } catch (SchemaParseException | NullPointerException e) {
            throw RegistryError.INVALID_SCHEMA.exception(
                    "Invalid schema " + abbreviate(schemaText) + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // Avro reports malformed JSON and bad defaults with assorted runtime exceptions
            throw RegistryError.INVALID_SCHEMA.exception("Invalid schema " + abbreviate(schemaText) + ": " + e);
        }
    }

    private static List<Schema> newestFirst(List<SchemaVersion> oldestFirst) {
        List<Schema> out = new ArrayList<>(oldestFirst.size());
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            out.add(new Schema.Parser().parse(oldestFirst.get(i).schema()));
        }
        return out;
    }

    private static int parseVersion(String version) {
        if ("latest".equals(version)) {
            return -1;
        }
        try {
            int v = Integer.parseInt(version);
            if (v == -1 || v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw RegistryError.INVALID_VERSION.exception("The specified version '" + version
                + "' is not a valid version id." + " Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? "'" + s + "'" : "'" + s.substring(0, 200) + "...'";
    }

    private static RegistryException subjectNotFound(String subject) {
        return RegistryError.SUBJECT_NOT_FOUND.exception("Subject '" + subject + "' not found.");
    }

    private static RegistryException schemaNotFound(int id) {
        return RegistryError.SCHEMA_NOT_FOUND.exception("Schema " + id + " not found");
    }
}
