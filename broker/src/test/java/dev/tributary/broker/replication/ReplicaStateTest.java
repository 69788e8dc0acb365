package dev.tributary.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The caught-up rule behind {@code replica.lag.time.max.ms}, with times as numbers. */
class ReplicaStateTest {
    private static final long MAX_LAG = 10_000;

    @Test
    void shouldStartUnknownAndCaughtUpNowWhenAlreadyInTheIsr() {
        ReplicaState s = ReplicaState.initial(2, true, 5_000);
        assertThat(s.logEndOffset()).isEqualTo(ReplicaState.UNKNOWN_OFFSET);
        assertThat(s.isCaughtUp(100, 5_000 + MAX_LAG, MAX_LAG)).isTrue();
        assertThat(s.isCaughtUp(100, 5_001 + MAX_LAG, MAX_LAG)).isFalse();
    }

    @Test
    void shouldNeverHaveBeenCaughtUpWhenOutsideTheIsr() {
        // (wall-clock times: "caught up at 0" is long ago)
        ReplicaState s = ReplicaState.initial(2, false, 1_700_000_000_000L);
        assertThat(s.isCaughtUp(100, 1_700_000_000_000L, MAX_LAG)).isFalse();
    }

    @Test
    void shouldBeCaughtUpAtTheFetchTimeWhenTheFetchReachesTheLeadersLogEnd() {
        ReplicaState s = ReplicaState.initial(2, false, 0).afterFetch(100, 100, 7_000);
        assertThat(s.lastCaughtUpTimeMs()).isEqualTo(7_000);
        assertThat(s.logEndOffset()).isEqualTo(100);
    }

    @Test
    void shouldBeCaughtUpAtThePreviousFetchTimeWhenTheFetchReachesTheLogEndAsOfThatFetch() {
        // fetch at 1000 from 50 while the leader ends at 80; at 2000 it fetches from 80 while the leader ends at 95:
        // it had everything the leader had at 1000
        ReplicaState s =
                ReplicaState.initial(2, false, 0).afterFetch(50, 80, 1_000).afterFetch(80, 95, 2_000);
        assertThat(s.lastCaughtUpTimeMs()).isEqualTo(1_000);
    }

    @Test
    void shouldNotMoveTheCaughtUpTimeWhenTheFetchIsBehindBoth() {
        ReplicaState s =
                ReplicaState.initial(2, false, 0).afterFetch(50, 80, 1_000).afterFetch(70, 95, 2_000);
        assertThat(s.lastCaughtUpTimeMs()).isEqualTo(0);
    }

    @Test
    void shouldStayCaughtUpUnderSteadyAppendsWhileKeepingUpFetchAfterFetch() {
        ReplicaState s = ReplicaState.initial(2, true, 0);
        long leo = 10;
        long fetchOffset = 0;
        for (long t = 1_000; t <= 100_000; t += 1_000) {
            s = s.afterFetch(fetchOffset, leo, t);
            fetchOffset = leo; // the response brought everything up to the leader's end at the time
            leo += 10; // the leader appended meanwhile: the follower never sees the very latest
            assertThat(s.isCaughtUp(leo, t, MAX_LAG)).as("at " + t).isTrue();
        }
    }

    @Test
    void shouldFallOutOfSyncAfterTheLagTimeWithoutCatchingUp() {
        ReplicaState s =
                ReplicaState.initial(2, true, 0).afterFetch(100, 100, 1_000).afterFetch(100, 150, 2_000);
        assertThat(s.isCaughtUp(150, 1_000 + MAX_LAG, MAX_LAG)).isTrue();
        assertThat(s.isCaughtUp(150, 1_001 + MAX_LAG, MAX_LAG)).isFalse();
        // but a follower that has the leader's whole log is in sync however long ago it fetched
        assertThat(s.isCaughtUp(100, 1_000_000, MAX_LAG)).isTrue();
    }
}
