package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Offsets on a coordinator with a store the test controls: failing, or stalled mid-write. */
class OffsetManagerTest {

    private static final PartitionId TP = new PartitionId("t", 0);

    private final MutableClock clock = new MutableClock(1_000_000);
    private final ControlledStore store = new ControlledStore();
    private final GroupCoordinator coordinator =
            new GroupCoordinator(new GroupConfig(6_000, 300_000, 0, 100, 4096, 60_000), clock, store);

    @Test
    void shouldLeaveOffsetsUnchangedAndAnswerCoordinatorNotAvailableWhenTheStoreFails() {
        coordinator.offsets().commit("g", "", null, -1, Map.of(TP, new CommittedOffset(5, -1, "", 0)));
        store.failing.set(true);

        Map<PartitionId, GroupError> result =
                coordinator.offsets().commit("g", "", null, -1, Map.of(TP, new CommittedOffset(9, -1, "", 0)));

        assertThat(result).containsEntry(TP, GroupError.COORDINATOR_NOT_AVAILABLE);
        assertThat(coordinator.offsets().fetch("g", null).get(TP).offset()).isEqualTo(5);
        assertThat(coordinator.offsets().delete("g", List.of(TP)).error())
                .isEqualTo(GroupError.COORDINATOR_NOT_AVAILABLE);
        assertThat(coordinator.offsets().fetch("g", null)).containsKey(TP);
    }

    @Test
    void shouldKeepAnExpiredGroupWhenItsTombstoneCannotBeWrittenAndRemoveItOnTheNextTry() {
        coordinator.offsets().commit("g", "", null, -1, Map.of(TP, new CommittedOffset(5, -1, "", 0)));
        clock.advance(60_000);
        store.failing.set(true);

        coordinator.poll();

        assertThat(coordinator.admin().describeGroup("g").orElseThrow().state()).isEqualTo(GroupState.EMPTY);
        assertThat(coordinator.offsets().fetch("g", null)).containsKey(TP);
        store.failing.set(false);
        coordinator.poll();
        assertThat(coordinator.admin().describeGroup("g")).isEmpty();
    }

    @Test
    void shouldAnswerHeartbeatsAndFetchesWhileACommitWaitsForTheStore() throws Exception {
        String member = joinAndSync();
        store.stall = new CountDownLatch(1);

        CompletableFuture<Map<PartitionId, GroupError>> commit = CompletableFuture.supplyAsync(() ->
                coordinator.offsets().commit("g", member, null, 1, Map.of(TP, new CommittedOffset(7, -1, "", 0))));
        await().atMost(Duration.ofSeconds(10)).until(() -> store.writing.getCount() == 0);

        // Both need the coordinator's lock; a commit holding it across the write would block them here.
        CompletableFuture<GroupError> heartbeat =
                CompletableFuture.supplyAsync(() -> coordinator.heartbeat("g", member, null, 1));
        assertThat(heartbeat.get(10, TimeUnit.SECONDS)).isEqualTo(GroupError.NONE);
        assertThat(coordinator.offsets().fetch("g", null)).doesNotContainKey(TP);
        assertThat(commit).isNotDone();

        store.stall.countDown();
        assertThat(commit.get(10, TimeUnit.SECONDS)).containsEntry(TP, GroupError.NONE);
        assertThat(coordinator.offsets().fetch("g", null).get(TP).offset()).isEqualTo(7);
    }

    private String joinAndSync() {
        JoinGroup.Request r = new JoinGroup.Request(
                "g",
                "",
                null,
                "c",
                "/h",
                10_000,
                30_000,
                "consumer",
                List.of(new JoinGroup.Protocol("range", new byte[0])),
                false);
        String[] member = new String[1];
        coordinator.joinGroup(r, result -> member[0] = result.memberId());
        coordinator.syncGroup(new SyncGroup.Request("g", 1, member[0], null, "consumer", null, Map.of()), result -> {});
        assertThat(coordinator.admin().describeGroup("g").orElseThrow().state()).isEqualTo(GroupState.STABLE);
        return member[0];
    }

    /** A store that can fail every write, or stall an offset write until the test lets it go. */
    static final class ControlledStore implements GroupStore {
        final AtomicBoolean failing = new AtomicBoolean();
        final CountDownLatch writing = new CountDownLatch(1);
        volatile CountDownLatch stall;

        private void check() throws IOException {
            if (failing.get()) {
                throw new IOException("No space left on device");
            }
        }

        @Override
        public void storeGroup(GroupMetadataRecord group) throws IOException {
            check();
        }

        @Override
        public void storeOffsets(String groupId, Map<PartitionId, CommittedOffset> offsets) throws IOException {
            check();
            CountDownLatch s = stall;
            if (s != null) {
                writing.countDown();
                try {
                    s.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        }

        @Override
        public void deleteOffsets(String groupId, Collection<PartitionId> partitions) throws IOException {
            check();
        }

        @Override
        public void deleteGroup(String groupId, Collection<PartitionId> partitions) throws IOException {
            check();
        }
    }
}
