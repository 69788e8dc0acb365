package dev.tributary.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.registry.store.StoreRecord;
import dev.tributary.registry.store.StoreRecord.SchemaVersion;
import org.junit.jupiter.api.Test;

/** The state rebuilt from the log: the first writer of a version keeps it. */
class RegistryStateTest {
    private final RegistryState state = new RegistryState();

    @Test
    void shouldRefuseASecondSchemaForAVersionAlreadyTaken() {
        SchemaVersion first = new SchemaVersion("s", 1, 1, "\"string\"", false);
        assertThat(state.apply(first)).isTrue();

        assertThat(state.apply(new SchemaVersion("s", 1, 2, "\"int\"", false))).isFalse();
        assertThat(state.apply(new SchemaVersion("s", 1, 2, "\"string\"", false)))
                .as("same schema under another id")
                .isFalse();

        assertThat(state.version("s", 1)).contains(first);
        assertThat(state.schemaById(2)).isEmpty();
        assertThat(state.maxId()).isEqualTo(1);
    }

    @Test
    void shouldTakeSoftDeletesAndRewritesOfTheSameEntry() {
        SchemaVersion v = new SchemaVersion("s", 1, 1, "\"string\"", false);
        state.apply(v);

        assertThat(state.apply(v.softDeleted())).isTrue();
        assertThat(state.version("s", 1)).contains(v.softDeleted());
        assertThat(state.apply(v)).as("the entry written again").isTrue();
        assertThat(state.liveVersions("s")).containsExactly(v);
    }

    @Test
    void shouldFreeAVersionOnceItIsPermanentlyDeleted() {
        state.apply(new SchemaVersion("s", 1, 1, "\"string\"", true));
        state.apply(new StoreRecord.Tombstone(StoreRecord.StoreKey.schema("s", 1)));

        SchemaVersion again = new SchemaVersion("s", 1, 2, "\"int\"", false);
        assertThat(state.apply(again)).isTrue();
        assertThat(state.version("s", 1)).contains(again);
    }
}
