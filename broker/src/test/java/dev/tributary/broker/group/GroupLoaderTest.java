package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.MutableClock;
import dev.tributary.log.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loader on batches held in memory: what the store wrote comes back as the coordinator's groups. */
class GroupLoaderTest {

    private final MutableClock clock = new MutableClock(50_000);
    private final List<ByteBuffer> written = new ArrayList<>();
    private final ConsumerOffsetsTopic store = new ConsumerOffsetsTopic(written::add, clock);

    private GroupLoader.Loaded read() {
        List<RecordBatch> batches = new ArrayList<>();
        long offset = 0;
        for (ByteBuffer b : written) {
            RecordBatch batch = RecordBatch.of(b.duplicate()).setBaseOffset(offset);
            offset = batch.nextOffset();
            batches.add(batch);
        }
        return GroupLoader.read(batches.iterator());
    }

    @Test
    void shouldBringBackAStableGroupWithItsMembersAndAnOffsetsOnlyGroupAsEmpty() throws Exception {
        PartitionId t0 = new PartitionId("t", 0);
        store.storeGroup(new GroupMetadataRecord(
                "g",
                "consumer",
                3,
                "range",
                "m",
                40_000,
                List.of(new GroupMetadataRecord.Member(
                        "m", null, "c", "/h", 30_000, 10_000, new byte[] {1}, new byte[] {7}))));
        store.storeOffsets("g", Map.of(t0, new CommittedOffset(12, -1, "", 41_000)));
        store.storeOffsets("simple", Map.of(t0, new CommittedOffset(5, -1, "", 42_000)));

        GroupCoordinator coordinator = new GroupCoordinator(GroupConfig.defaults(), clock, GroupStore.NONE);
        coordinator.load(read());

        GroupDescription g = coordinator.admin().describeGroup("g").orElseThrow();
        assertThat(g.state()).isEqualTo(GroupState.STABLE);
        assertThat(g.members())
                .singleElement()
                .satisfies(m -> assertThat(m.assignment()).containsExactly(7));
        assertThat(coordinator.heartbeat("g", "m", null, 3)).isEqualTo(GroupError.NONE);
        assertThat(coordinator.admin().describeGroup("simple").orElseThrow().state())
                .isEqualTo(GroupState.EMPTY);
        assertThat(coordinator.offsets().fetch("simple", null).get(t0).offset()).isEqualTo(5);
    }

    @Test
    void shouldRemoveLoadedMembersThatDoNotHeartbeatWithinTheirSession() throws Exception {
        store.storeGroup(new GroupMetadataRecord(
                "g",
                "consumer",
                3,
                "range",
                "m",
                40_000,
                List.of(new GroupMetadataRecord.Member(
                        "m", null, "c", "/h", 30_000, 10_000, new byte[] {1}, new byte[] {7}))));
        GroupCoordinator coordinator = new GroupCoordinator(GroupConfig.defaults(), clock, GroupStore.NONE);
        coordinator.load(read());

        clock.advance(10_000);
        coordinator.poll();

        assertThat(coordinator.admin().describeGroup("g").orElseThrow().members())
                .isEmpty();
        assertThat(coordinator.heartbeat("g", "m", null, 3)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void shouldForgetAGroupAndItsOffsetsAfterItsTombstone() throws Exception {
        PartitionId t0 = new PartitionId("t", 0);
        store.storeOffsets("g", Map.of(t0, new CommittedOffset(12, -1, "", 41_000)));
        store.deleteGroup("g", List.of(t0));

        GroupLoader.Loaded loaded = read();

        assertThat(loaded.records()).isEqualTo(3);
        assertThat(loaded.groups()).isEmpty();
        assertThat(loaded.offsets()).isEmpty();
    }
}
