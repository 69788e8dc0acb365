package dev.tributary.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.replication.LeaderElection.Result;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Leader choice from assignment order, live brokers and the ISR. */
class LeaderElectionTest {
    private static final List<Integer> ASSIGNMENT = List.of(3, 1, 2);

    @Test
    void shouldChooseTheFirstLiveIsrMemberInAssignmentOrder() {
        Result r = LeaderElection.elect(ASSIGNMENT, Set.of(1, 2, 3), Set.of(1, 2, 3), false);
        assertThat(r).isEqualTo(new Result(3, Set.of(1, 2, 3), false));
        r = LeaderElection.elect(ASSIGNMENT, Set.of(1, 2, 3), Set.of(1, 2), false);
        assertThat(r.leader()).isEqualTo(1);
    }

    @Test
    void shouldDropDeadReplicasFromTheIsrOfACleanElection() {
        Result r = LeaderElection.elect(ASSIGNMENT, Set.of(1, 2, 3), Set.of(1, 2), false);
        assertThat(r.isr()).containsExactlyInAnyOrder(1, 2);
        assertThat(r.unclean()).isFalse();
    }

    @Test
    void shouldSkipALiveReplicaOutsideTheIsr() {
        Result r = LeaderElection.elect(ASSIGNMENT, Set.of(1, 2), Set.of(2, 3), false);
        assertThat(r.leader()).isEqualTo(2);
    }

    @Test
    void shouldLeaveThePartitionOfflineWithItsIsrWhenNoIsrMemberIsLiveAndUncleanIsDisabled() {
        Result r = LeaderElection.elect(ASSIGNMENT, Set.of(1), Set.of(2, 3), false);
        assertThat(r.hasLeader()).isFalse();
        assertThat(r.leader()).isEqualTo(LeaderAndIsr.NO_LEADER);
        assertThat(r.isr()).containsExactly(1);
    }

    @Test
    void shouldElectTheFirstLiveReplicaAloneInItsIsrWhenUncleanIsEnabled() {
        Result r = LeaderElection.elect(ASSIGNMENT, Set.of(1), Set.of(2, 3), true);
        assertThat(r).isEqualTo(new Result(3, Set.of(3), true));
    }

    @Test
    void shouldPreferACleanLeaderEvenWhenUncleanIsEnabled() {
        Result r = LeaderElection.elect(ASSIGNMENT, Set.of(2), Set.of(2, 3), true);
        assertThat(r).isEqualTo(new Result(2, Set.of(2), false));
    }

    @Test
    void shouldFindNoLeaderWhenNothingIsLive() {
        assertThat(LeaderElection.elect(ASSIGNMENT, Set.of(1, 2, 3), Set.of(), true)
                        .hasLeader())
                .isFalse();
    }

    @Test
    void shouldLeaveTheDepartingNodeOutOnAControlledShutdown() {
        Set<Integer> liveWithout3 = Set.of(1, 2);
        assertThat(LeaderElection.elect(ASSIGNMENT, Set.of(1, 2, 3), liveWithout3, false)
                        .leader())
                .isEqualTo(1);
    }

    @Test
    void shouldChooseThePreferredReplicaOnlyWhenItIsLiveAndInTheIsr() {
        assertThat(LeaderElection.preferredLeader(ASSIGNMENT, Set.of(1, 2, 3), Set.of(1, 2, 3)))
                .isEqualTo(OptionalInt.of(3));
        assertThat(LeaderElection.preferredLeader(ASSIGNMENT, Set.of(1, 2), Set.of(1, 2, 3)))
                .isEmpty();
        assertThat(LeaderElection.preferredLeader(ASSIGNMENT, Set.of(1, 2, 3), Set.of(1, 2)))
                .isEmpty();
    }

    @Test
    void shouldMoveToThePreferredReplicaOnlyWhenSomeoneElseLeads() {
        assertThat(LeaderElection.shouldMoveToPreferred(1, ASSIGNMENT, Set.of(1, 2, 3), Set.of(1, 2, 3)))
                .isTrue();
        assertThat(LeaderElection.shouldMoveToPreferred(3, ASSIGNMENT, Set.of(1, 2, 3), Set.of(1, 2, 3)))
                .isFalse();
        assertThat(LeaderElection.shouldMoveToPreferred(1, ASSIGNMENT, Set.of(1, 2), Set.of(1, 2, 3)))
                .isFalse();
    }
}
