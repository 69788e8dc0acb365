package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Routing a group's requests to the coordinator of its offsets partition, and dropping a coordinator. */
class GroupCoordinatorsTest {

    private static final int PARTITIONS = 3;

    private final MutableClock clock = new MutableClock(1_000_000);
    private final GroupConfig config = new GroupConfig(6_000, 300_000, 0, 100, 4096, Long.MAX_VALUE);
    private final GroupCoordinators coordinators = new GroupCoordinators(() -> PARTITIONS);

    private GroupCoordinator coordinator() {
        return new GroupCoordinator(config, clock, GroupStore.NONE);
    }

    /** A group id that lands on {@code partition}. */
    private static String groupOn(int partition) {
        for (int i = 0; ; i++) {
            String id = "group-" + i;
            if (GroupPartitioner.partitionFor(id, PARTITIONS) == partition) {
                return id;
            }
        }
    }

    @Test
    void shouldRefuseGroupsOfPartitionsThisNodeDoesNotLeadWithNotCoordinator() {
        assertThat(coordinators.route(groupOn(1))).isEqualTo(new GroupCoordinators.Refused(GroupError.NOT_COORDINATOR));
    }

    @Test
    void shouldAnswerLoadInProgressUntilThePartitionIsLoadedThenServeItsGroups() {
        coordinators.partitions().startLoading(1, 4);
        assertThat(coordinators.route(groupOn(1)))
                .isEqualTo(new GroupCoordinators.Refused(GroupError.COORDINATOR_LOAD_IN_PROGRESS));
        assertThat(coordinators.anyLoading()).isTrue();

        GroupCoordinator c = coordinator();
        coordinators.partitions().finishLoading(1, 4, new GroupCoordinators.Shard(c, () -> true));

        assertThat(coordinators.route(groupOn(1))).isEqualTo(new GroupCoordinators.Served(c));
        assertThat(coordinators.route(groupOn(2))).isEqualTo(new GroupCoordinators.Refused(GroupError.NOT_COORDINATOR));
        assertThat(coordinators.served()).containsExactly(c);
        assertThat(coordinators.partitionFor(groupOn(2))).isEqualTo(2);
    }

    @Test
    void shouldRefuseAtOnceWhenTheLeadershipIsLostBeforeTheRoleChangeIsActedOn() {
        AtomicBoolean leads = new AtomicBoolean(true);
        coordinators.partitions().startLoading(0, 1);
        coordinators.partitions().finishLoading(0, 1, new GroupCoordinators.Shard(coordinator(), leads::get));

        leads.set(false);

        assertThat(coordinators.route(groupOn(0))).isEqualTo(new GroupCoordinators.Refused(GroupError.NOT_COORDINATOR));
        assertThat(coordinators.served()).as("listed by ListGroups, polled").isEmpty();
    }

    @Test
    void shouldServeEveryGroupFromTheOneCoordinatorOfASingleNode() {
        GroupCoordinator c = coordinator();
        GroupCoordinators single = GroupCoordinators.singleNode(c);

        for (int p = 0; p < PARTITIONS; p++) {
            assertThat(single.route(groupOn(p))).isEqualTo(new GroupCoordinators.Served(c));
        }
        assertThat(single.route("")).isEqualTo(new GroupCoordinators.Served(c));
        assertThat(single.anyLoading()).isFalse();
    }

    @Test
    void shouldAnswerWaitingJoinsWithNotCoordinatorWhenItsGroupsAreDropped() {
        GroupCoordinator c = coordinator();
        JoinGroup.Result first = join(c, "g", "").get();
        JoinGroup.Result leader = join(c, "g", first.memberId()).get();
        assertThat(leader.error()).isEqualTo(GroupError.NONE);
        JoinGroup.Result second = join(c, "g", "").get();
        AtomicReference<JoinGroup.Result> waiting = join(c, "g", second.memberId());
        assertThat(waiting.get()).as("waits for the first member to join again").isNull();

        c.unload();

        assertThat(waiting.get().error()).isEqualTo(GroupError.NOT_COORDINATOR);
    }

    private static AtomicReference<JoinGroup.Result> join(GroupCoordinator c, String group, String memberId) {
        AtomicReference<JoinGroup.Result> ref = new AtomicReference<>();
        c.joinGroup(
                new JoinGroup.Request(
                        group,
                        memberId,
                        null,
                        "client",
                        "/127.0.0.1",
                        10_000,
                        30_000,
                        "consumer",
                        List.of(new JoinGroup.Protocol("range", "t".getBytes(StandardCharsets.UTF_8))),
                        true),
                ref::set);
        return ref;
    }
}
