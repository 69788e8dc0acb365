package dev.tributary.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.replication.TruncationPlanner.TruncationPlan;
import dev.tributary.log.epoch.EpochEndOffset;
import dev.tributary.log.epoch.LeaderEpochCache;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Where a follower truncates, played as the exchange it is: the follower asks with its latest epoch, the leader
 * answers from its own cache ({@link LeaderEpochCache#endOffsetFor}), the planner decides.
 */
class TruncationPlannerTest {
    /** A cache from (epoch, startOffset) pairs. */
    private static LeaderEpochCache cache(long... epochAndStart) {
        LeaderEpochCache c = new LeaderEpochCache(new MemoryEpochCheckpoint());
        for (int i = 0; i < epochAndStart.length; i += 2) {
            c.assign((int) epochAndStart[i], epochAndStart[i + 1]);
        }
        return c;
    }

    private static EpochEndOffset ask(LeaderEpochCache leader, long leaderLogEnd, LeaderEpochCache follower) {
        return leader.endOffsetFor(TruncationPlanner.epochToRequest(follower).getAsInt(), leaderLogEnd);
    }

    @Test
    void shouldTruncateTheTailOfASharedEpochToWhereTheLeaderEndedIt() {
        // the follower wrote epoch 1 up to 100 as leader; only 50..79 reached the new leader, which began epoch 2 at 80
        LeaderEpochCache leader = cache(0, 0, 1, 50, 2, 80);
        LeaderEpochCache follower = cache(0, 0, 1, 50);
        EpochEndOffset answer = ask(leader, 120, follower);
        assertThat(answer).isEqualTo(new EpochEndOffset(1, 80));
        assertThat(TruncationPlanner.plan(follower, 100, 60, answer)).isEqualTo(new TruncationPlan(80, true));
    }

    @Test
    void shouldKeepEverythingWhenTheFollowersLatestEpochIsTheLeadersCurrentOne() {
        LeaderEpochCache leader = cache(0, 0, 2, 80);
        LeaderEpochCache follower = cache(0, 0, 2, 80);
        EpochEndOffset answer = ask(leader, 120, follower);
        assertThat(answer).isEqualTo(new EpochEndOffset(2, 120));
        assertThat(TruncationPlanner.plan(follower, 100, 90, answer)).isEqualTo(new TruncationPlan(100, true));
    }

    @Test
    void shouldStepBackEpochByEpochWhenTheLeaderAnswersWithAnEpochTheFollowerSkipped() {
        // follower: epoch 1 from 50, epoch 3 from 70 (a leader that never replicated); leader: 1 from 50, 2 from 60
        LeaderEpochCache leader = cache(0, 0, 1, 50, 2, 60, 4, 100);
        LeaderEpochCache follower = cache(0, 0, 1, 50, 3, 70);
        EpochEndOffset first = ask(leader, 130, follower);
        assertThat(first).isEqualTo(new EpochEndOffset(2, 100));
        TruncationPlan step1 = TruncationPlanner.plan(follower, 90, 40, first);
        // the follower has no epoch 2: back to where its epoch below 2 ended, then ask again
        assertThat(step1).isEqualTo(new TruncationPlan(70, false));
        follower.truncateFromEnd(step1.truncateTo());

        EpochEndOffset second = ask(leader, 130, follower);
        assertThat(second).isEqualTo(new EpochEndOffset(1, 60));
        assertThat(TruncationPlanner.plan(follower, 70, 40, second)).isEqualTo(new TruncationPlan(60, true));
    }

    @Test
    void shouldFallBackToTheHighWatermarkWhenTheLeaderCannotAnswer() {
        LeaderEpochCache follower = cache(0, 0, 5, 50);
        assertThat(TruncationPlanner.plan(follower, 100, 42, EpochEndOffset.UNDEFINED))
                .isEqualTo(new TruncationPlan(42, true));
    }

    @Test
    void shouldTruncateToTheHighWatermarkWithoutAskingWhenTheFollowerHasNoEpochs() {
        LeaderEpochCache follower = cache();
        assertThat(TruncationPlanner.epochToRequest(follower)).isEqualTo(OptionalInt.empty());
        assertThat(TruncationPlanner.withoutEpochs(42, 100)).isEqualTo(new TruncationPlan(42, true));
        assertThat(TruncationPlanner.withoutEpochs(42, 30)).isEqualTo(new TruncationPlan(30, true));
    }

    @Test
    void shouldUseTheLeadersOffsetForAnAnswerWithoutAnEpoch() {
        LeaderEpochCache follower = cache(0, 0, 3, 50);
        assertThat(TruncationPlanner.plan(follower, 100, 10, new EpochEndOffset(EpochEndOffset.UNDEFINED_EPOCH, 70)))
                .isEqualTo(new TruncationPlan(70, true));
    }

    @Test
    void shouldUseTheLeadersOffsetWhenTheFollowerKnowsNoEpochAtOrBelowTheAnswer() {
        // the follower's log was cut at the start (retention): its first epoch is 3 from 100
        LeaderEpochCache leader = cache(0, 0, 2, 90, 6, 130);
        LeaderEpochCache follower = cache(3, 100, 5, 150);
        EpochEndOffset answer = ask(leader, 200, follower);
        assertThat(answer).isEqualTo(new EpochEndOffset(2, 130));
        // follower's own answer for epoch 2 is (2, 100): the start of what it still has
        assertThat(TruncationPlanner.plan(follower, 200, 120, answer)).isEqualTo(new TruncationPlan(100, true));
    }

    @Test
    void shouldNeverTruncatePastTheFollowersLogEnd() {
        LeaderEpochCache follower = cache(0, 0, 1, 50);
        assertThat(TruncationPlanner.plan(follower, 60, 10, new EpochEndOffset(1, 500)))
                .isEqualTo(new TruncationPlan(60, true));
        assertThat(TruncationPlanner.plan(follower, 60, 10, new EpochEndOffset(0, 500)))
                .isEqualTo(new TruncationPlan(50, true));
    }
}
