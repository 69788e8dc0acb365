package dev.tributary.metadata.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.metadata.apply.LeaderElection.Choice;
import java.util.List;
import java.util.Set;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

    private static IntPredicate live(Integer... ids) {
        Set<Integer> set = Set.of(ids);
        return set::contains;
    }

    @Test
    void shouldChooseTheFirstLiveIsrMemberInAssignmentOrderNotIsrOrder() {
        Choice choice = LeaderElection.choose(List.of(3, 1, 2), List.of(2, 1), live(1, 2, 3), false);
        assertThat(choice).isEqualTo(new Choice(1, false));
    }

    @Test
    void shouldSkipFencedIsrMembers() {
        assertThat(LeaderElection.choose(List.of(1, 2, 3), List.of(1, 2, 3), live(3), false))
                .isEqualTo(new Choice(3, false));
    }

    @Test
    void shouldNotChooseALiveReplicaOutsideTheIsrWhenUncleanIsNotAllowed() {
        assertThat(LeaderElection.choose(List.of(1, 2, 3), List.of(1), live(2, 3), false))
                .isEqualTo(Choice.NONE);
    }

    @Test
    void shouldChooseTheFirstLiveReplicaUncleanOnlyWhenAllowedAndNoIsrMemberIsLive() {
        assertThat(LeaderElection.choose(List.of(1, 2, 3), List.of(1), live(3, 2), true))
                .isEqualTo(new Choice(2, true));
        // a live ISR member always wins over an unclean choice
        assertThat(LeaderElection.choose(List.of(1, 2, 3), List.of(3), live(2, 3), true))
                .isEqualTo(new Choice(3, false));
    }

    @Test
    void shouldFindNoLeaderWhenNoReplicaIsLive() {
        assertThat(LeaderElection.choose(List.of(1, 2), List.of(1, 2), live(), true))
                .isEqualTo(Choice.NONE);
    }
}
