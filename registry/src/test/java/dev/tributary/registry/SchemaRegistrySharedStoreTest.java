package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.registry.store.InMemoryRegistryStore;
import dev.tributary.registry.store.SharedLog;
import dev.tributary.registry.store.StoreRecord;
import dev.tributary.registry.store.StoreRecord.SchemaVersion;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The registries of several brokers writing one log, as in a cluster: ids come from one shared source (the
 * quorum in the broker) and a version written by two goes to the first. Each broker's view is made stale on
 * purpose ({@link SharedLog}), no Kafka needed.
 */
class SchemaRegistrySharedStoreTest {
    private static final String S1 =
            "{\"type\":\"record\",\"name\":\"A\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}";
    private static final String S2 =
            "{\"type\":\"record\",\"name\":\"B\",\"fields\":[{\"name\":\"y\",\"type\":\"string\"}]}";

    private final SharedLog log = new SharedLog();
    /** The quorum's counter: max(next, minimum), as MetadataApplier allocates. */
    private final AtomicInteger next = new AtomicInteger(1);

    private final SchemaIdSource quorum = minimum -> {
        synchronized (next) {
            int first = Math.max(next.get(), minimum);
            next.set(first + 1);
            return first;
        }
    };

    private SchemaRegistry registryOn(SharedLog.Reader store) {
        return new SchemaRegistry(store, quorum);
    }

    @Test
    void shouldGiveTheSameSchemaUnderTheSameSubjectOneIdWhenAStaleBrokerRegistersItAgain() {
        SharedLog.Reader storeA = log.reader();
        SharedLog.Reader storeB = log.reader();
        SchemaRegistry a = registryOn(storeA);
        SchemaRegistry b = registryOn(storeB);

        int idOnA = a.register("orders-value", S1, null);
        int idOnB = b.register("orders-value", S1, null); // b has not read a's entry: it writes version 1 too

        assertThat(idOnB).isEqualTo(idOnA);
        assertThat(b.versions("orders-value", true)).containsExactly(1);
        storeA.catchUp();
        assertThat(a.versions("orders-value", true)).containsExactly(1);
        assertThat(a.version("orders-value", "1", false).id()).isEqualTo(idOnA);
        assertThatCompactedLogGivesTheSameState(a, "orders-value");
    }

    @Test
    void shouldNotRegisterTheSameSchemaTwiceWhenTheReaderCatchesUpWhileAnIdIsAllocated() {
        SharedLog.Reader storeA = log.reader();
        SharedLog.Reader storeB = log.reader();
        SchemaRegistry a = registryOn(storeA);
        // b's reader applies a's entry while b waits for its id, between b's check and b's write
        SchemaRegistry b = new SchemaRegistry(storeB, minimum -> {
            storeB.catchUp();
            return quorum.next(minimum);
        });
        a.setLevel(null, CompatibilityLevel.NONE);
        int idOnA = a.register("orders-value", S1, null);

        assertThat(b.register("orders-value", S1, null)).isEqualTo(idOnA);
        assertThat(b.versions("orders-value", true)).containsExactly(1);
    }

    @Test
    void shouldPutADifferentSchemaFromAStaleBrokerUnderTheNextVersionWithItsOwnId() {
        SharedLog.Reader storeA = log.reader();
        SharedLog.Reader storeB = log.reader();
        SchemaRegistry a = registryOn(storeA);
        SchemaRegistry b = registryOn(storeB);
        a.setLevel("orders-value", CompatibilityLevel.NONE);
        storeB.catchUp();

        int first = a.register("orders-value", S1, null);
        int second = b.register("orders-value", S2, null);

        assertThat(second).isNotEqualTo(first);
        storeA.catchUp();
        for (SchemaRegistry r : List.of(a, b)) {
            assertThat(r.versions("orders-value", true)).containsExactly(1, 2);
            assertThat(r.version("orders-value", "1", false).id()).isEqualTo(first);
            assertThat(r.version("orders-value", "2", false).id()).isEqualTo(second);
            assertThat(r.schemaById(second))
                    .isEqualTo(new org.apache.avro.Schema.Parser().parse(S2).toString());
        }
        assertThatCompactedLogGivesTheSameState(a, "orders-value");
    }

    @Test
    void shouldRefuseAfterLosingEveryAttemptToOtherWriters() {
        SharedLog.Reader storeA = log.reader();
        SchemaRegistry a = registryOn(storeA);
        a.setLevel(null, CompatibilityLevel.NONE);
        // another broker that always writes the next version just before this one
        SharedLog.Reader other = log.reader();
        other.start(r -> {});
        AtomicInteger version = new AtomicInteger();
        SchemaIdSource racing = minimum -> {
            other.write(new SchemaVersion("s", version.incrementAndGet(), 1000 + version.get(), "\"int\"", false));
            return quorum.next(minimum);
        };
        SchemaRegistry loser = new SchemaRegistry(log.reader(), racing);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> loser.register("s", "\"string\"", null))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.error()).isEqualTo(RegistryError.OPERATION_TIMEOUT));
        assertThat(version.get()).isEqualTo(SchemaRegistry.REGISTER_ATTEMPTS);
    }

    @Test
    void shouldNeverGiveOneIdToTwoSchemasWhenBrokersRegisterAtOnce() throws Exception {
        int brokers = 3;
        int perBroker = 40;
        List<SharedLog.Reader> stores = new ArrayList<>();
        List<SchemaRegistry> registries = new ArrayList<>();
        for (int i = 0; i < brokers; i++) {
            stores.add(log.reader());
            registries.add(registryOn(stores.get(i)));
        }
        registries.get(0).setLevel(null, CompatibilityLevel.NONE);
        stores.forEach(SharedLog.Reader::catchUp);
        Map<String, Integer> idBySchema = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(brokers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < brokers; i++) {
                SchemaRegistry r = registries.get(i);
                int broker = i;
                done.add(pool.submit(() -> {
                    for (int n = 0; n < perBroker; n++) {
                        // half the schemas are registered by every broker under the one subject "shared"
                        String schema = n % 2 == 0 ? enumSchema("Shared" + n) : enumSchema("B" + broker + "n" + n);
                        int id = r.register(n % 3 == 0 ? "shared" : "subject-" + broker, schema, null);
                        Integer before = idBySchema.putIfAbsent(schema + "@" + (n % 3 == 0 ? "shared" : broker), id);
                        assertThat(before == null || before == id).isTrue();
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        stores.forEach(SharedLog.Reader::catchUp);
        Map<Integer, String> schemaById = new java.util.HashMap<>();
        for (SchemaVersion v : versionsIn(log.entries())) {
            String earlier = schemaById.putIfAbsent(v.id(), v.schema());
            assertThat(earlier == null || earlier.equals(v.schema()))
                    .as("id %s given to %s and %s", v.id(), earlier, v.schema())
                    .isTrue();
        }
        for (SchemaRegistry r : registries) {
            for (String subject : registries.get(0).subjects(true)) {
                assertThat(r.versions(subject, true))
                        .isEqualTo(registries.get(0).versions(subject, true));
                for (int version : r.versions(subject, true)) {
                    assertThat(r.version(subject, String.valueOf(version), true))
                            .isEqualTo(registries.get(0).version(subject, String.valueOf(version), true));
                }
            }
            assertThatCompactedLogGivesTheSameState(r, "shared");
        }
        Set<String> sharedSchemas = new HashSet<>();
        for (int v : registries.get(0).versions("shared", true)) {
            assertThat(sharedSchemas.add(registries
                            .get(0)
                            .version("shared", String.valueOf(v), true)
                            .schema()))
                    .as("one version per schema under the shared subject")
                    .isTrue();
        }
    }

    private static String enumSchema(String name) {
        return "{\"type\":\"enum\",\"name\":\"" + name + "\",\"symbols\":[\"X\"]}";
    }

    private static List<SchemaVersion> versionsIn(List<StoreRecord> entries) {
        return entries.stream()
                .filter(SchemaVersion.class::isInstance)
                .map(SchemaVersion.class::cast)
                .toList();
    }

    /** A registry started from what compaction keeps of the log sees the same versions as {@code r}. */
    private void assertThatCompactedLogGivesTheSameState(SchemaRegistry r, String subject) {
        InMemoryRegistryStore compacted = new InMemoryRegistryStore();
        log.compacted().forEach(compacted::write);
        SchemaRegistry fresh = new SchemaRegistry(compacted);
        List<Integer> versions = r.versions(subject, true);
        assertThat(fresh.versions(subject, true)).isEqualTo(versions);
        for (int v : versions) {
            assertThat(fresh.version(subject, String.valueOf(v), true))
                    .isEqualTo(r.version(subject, String.valueOf(v), true));
        }
    }
}
