package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.MutableClock;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatchBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerOffsetsTopicTest {

    @TempDir
    Path dataDir;

    private final MutableClock clock = new MutableClock(5_000);

    private ConsumerOffsetsTopic topicOn(Log log) {
        return new ConsumerOffsetsTopic(log::append, clock);
    }

    private static GroupLoader.Loaded load(Log log) {
        return GroupLoader.read(log.batches(log.logStartOffset()));
    }

    private Log open() {
        return Log.open(dataDir.resolve("__consumer_offsets-0"), LogConfig.defaults(), clock);
    }

    @Test
    void shouldReloadLatestOffsetsAndGroupsAndHonourTombstonesAfterReopen() throws Exception {
        PartitionId t0 = new PartitionId("t", 0);
        PartitionId t1 = new PartitionId("t", 1);
        try (Log log = open()) {
            ConsumerOffsetsTopic store = topicOn(log);
            store.storeOffsets(
                    "g", Map.of(t0, new CommittedOffset(1, -1, "", 10), t1, new CommittedOffset(2, -1, "", 10)));
            store.storeOffsets("g", Map.of(t0, new CommittedOffset(5, 3, "later", 20)));
            store.deleteOffsets("g", List.of(t1));
            store.storeGroup(new GroupMetadataRecord(
                    "g",
                    "consumer",
                    4,
                    "range",
                    "m",
                    30,
                    List.of(new GroupMetadataRecord.Member(
                            "m", null, "c", "h", 1000, 6000, new byte[] {1}, new byte[] {2}))));
            store.storeOffsets("gone", Map.of(t0, new CommittedOffset(9, -1, "", 10)));
            store.storeGroup(new GroupMetadataRecord("gone", "", 1, null, null, 30, List.of()));
            store.deleteGroup("gone", List.of(t0));
        }

        GroupLoader.Loaded loaded;
        try (Log log = open()) {
            loaded = load(log);
        }

        assertThat(loaded.skipped()).isZero();
        assertThat(loaded.offsets()).containsOnlyKeys("g");
        assertThat(loaded.offsets().get("g")).containsOnlyKeys(t0);
        assertThat(loaded.offsets().get("g").get(t0)).isEqualTo(new CommittedOffset(5, 3, "later", 20));
        assertThat(loaded.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo("g");
            assertThat(g.generationId()).isEqualTo(4);
            assertThat(g.members().get(0).assignment()).containsExactly(2);
        });
    }

    @Test
    void shouldSkipUndecodableRecordAndKeepLoadingTheRest() throws Exception {
        PartitionId t0 = new PartitionId("t", 0);
        try (Log log = open()) {
            log.append(RecordBatchBuilder.create(Codec.NONE)
                    .append(0, new byte[] {0, 42}, new byte[] {1})
                    .build());
            topicOn(log).storeOffsets("g", Map.of(t0, new CommittedOffset(8, -1, "", 10)));
        }

        GroupLoader.Loaded loaded;
        try (Log log = open()) {
            loaded = load(log);
        }

        assertThat(loaded.skipped()).isEqualTo(1);
        assertThat(loaded.offsets().get("g").get(t0).offset()).isEqualTo(8);
    }
}
