package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.replication.AckWaiters;
import dev.tributary.broker.replication.LeaderAndIsr;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.log.LogConfig;
import dev.tributary.log.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster node's coordinator follows the leadership of its offsets partition: a real partition on disk, its
 * role changed as the replica-change thread changes it; one partition, so every group lives on it.
 */
class OffsetsPartitionLoaderTest {
    private static final int SELF = 1;
    private static final PartitionId OFFSETS_0 = new PartitionId(ConsumerOffsetsRecords.TOPIC, 0);
    private static final PartitionId T0 = new PartitionId("t", 0);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    private final GroupCoordinators coordinators = new GroupCoordinators(() -> 1);
    private PartitionManager partitions;
    private Scheduler scheduler;
    private OffsetsPartitionLoader loader;
    private Partition partition;

    @BeforeEach
    void setUp() throws Exception {
        partitions = new PartitionManager(dir, LogConfig.defaults(), clock);
        scheduler = new Scheduler(1);
        AckWaiters waiters = new AckWaiters(scheduler);
        partitions.addCommitListener(waiters);
        loader = new OffsetsPartitionLoader(coordinators, partitions, waiters, GroupConfig.defaults(), clock, 5_000);
        partitions.addRoleListener(loader);
        partition = partitions.getOrCreate(OFFSETS_0, LogConfig.defaults());
        // what an earlier leader wrote
        new ConsumerOffsetsTopic(partition::append, clock)
                .storeOffsets("g", Map.of(T0, new CommittedOffset(42, -1, "", clock.millis())));
    }

    @AfterEach
    void tearDown() throws Exception {
        loader.close();
        scheduler.close();
        partitions.close();
    }

    private void lead(int epoch) {
        partition.becomeLeader(
                SELF,
                new LeaderAndIsr(SELF, epoch, List.of(SELF), Set.of(SELF), 0),
                new ReplicationConfig(30_000, 1),
                clock.millis(),
                (id, proposal) -> {});
    }

    private GroupCoordinator awaitServed() {
        await("the partition's groups loaded")
                .atMost(Duration.ofSeconds(10))
                .until(() -> coordinators.route("g") instanceof GroupCoordinators.Served);
        return ((GroupCoordinators.Served) coordinators.route("g")).coordinator();
    }

    @Test
    void shouldRefuseGroupsUntilThisNodeLeadsTheirPartition() {
        assertThat(coordinators.route("g")).isEqualTo(new GroupCoordinators.Refused(GroupError.NOT_COORDINATOR));
    }

    @Test
    void shouldServeTheOffsetsInTheLogOnceItLeadsThePartition() {
        lead(1);

        GroupCoordinator c = awaitServed();

        assertThat(c.offsets().fetch("g", null)).containsOnlyKeys(T0);
        assertThat(c.offsets().fetch("g", null).get(T0).offset()).isEqualTo(42);
    }

    @Test
    void shouldRefuseAtOnceWhenItFollowsAndServeItsOwnCommitsWhenItLeadsAgain() {
        lead(1);
        GroupCoordinator first = awaitServed();
        assertThat(first.offsets().commit("g", "", null, -1, Map.of(T0, new CommittedOffset(50, -1, "", 0))))
                .containsEntry(T0, GroupError.NONE);

        partition.becomeFollower(2, 2);

        assertThat(coordinators.route("g")).isEqualTo(new GroupCoordinators.Refused(GroupError.NOT_COORDINATOR));
        assertThat(coordinators.served()).isEmpty();
        assertThat(first.offsets().commit("g", "", null, -1, Map.of(T0, new CommittedOffset(60, -1, "", 0))))
                .as("a commit that reached the dropped coordinator")
                .containsEntry(T0, GroupError.COORDINATOR_NOT_AVAILABLE);

        lead(3);

        GroupCoordinator second = awaitServed();
        assertThat(second).isNotSameAs(first);
        assertThat(second.offsets().fetch("g", null).get(T0).offset()).isEqualTo(50);
    }
}
