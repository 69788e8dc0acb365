package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the quorum leader runs ExpireBrokerSessions, with a manual clock. */
class SessionExpiryPolicyTest {
    private static final long SESSION = 3000;
    private static final long CHECK = 500;

    @Test
    void aFollowerNeverExpiresSessions() {
        SessionExpiryPolicy p = new SessionExpiryPolicy(SESSION, CHECK);
        for (long now = 0; now < 20_000; now += 100) {
            assertThat(p.shouldExpire(false, 1, now)).isFalse();
        }
    }

    @Test
    void aNewLeaderWaitsOneSessionTimeoutThenExpiresEveryCheckInterval() {
        SessionExpiryPolicy p = new SessionExpiryPolicy(SESSION, CHECK);
        assertThat(p.shouldExpire(true, 4, 10_000)).isFalse();
        assertThat(p.shouldExpire(true, 4, 12_999)).isFalse();
        assertThat(p.shouldExpire(true, 4, 13_000)).isTrue();
        assertThat(p.shouldExpire(true, 4, 13_100)).isFalse();
        assertThat(p.shouldExpire(true, 4, 13_499)).isFalse();
        assertThat(p.shouldExpire(true, 4, 13_500)).isTrue();
    }

    @Test
    void losingAndRegainingLeadershipStartsTheWaitAgain() {
        SessionExpiryPolicy p = new SessionExpiryPolicy(SESSION, CHECK);
        p.shouldExpire(true, 1, 0);
        assertThat(p.shouldExpire(true, 1, 3000)).isTrue();
        assertThat(p.shouldExpire(false, 2, 3500)).isFalse();
        assertThat(p.shouldExpire(true, 3, 4000)).isFalse();
        assertThat(p.shouldExpire(true, 3, 6999)).isFalse();
        assertThat(p.shouldExpire(true, 3, 7000)).isTrue();
    }

    @Test
    void aNewTermWhileStillLeaderCountsAsANewLeadership() {
        SessionExpiryPolicy p = new SessionExpiryPolicy(SESSION, CHECK);
        p.shouldExpire(true, 1, 0);
        assertThat(p.shouldExpire(true, 1, 3000)).isTrue();
        // this node never saw itself lose leadership, but the term moved: another node led in between
        assertThat(p.shouldExpire(true, 3, 3600)).isFalse();
        assertThat(p.shouldExpire(true, 3, 6600)).isTrue();
    }

    @Test
    void anOverdueBrokerInTheLeadersImageIsExpiredWithoutWaitingForTheCheckInterval() {
        SessionExpiryPolicy p = new SessionExpiryPolicy(SESSION, CHECK);
        assertThat(p.shouldExpire(true, 1, 0, true)).isFalse(); // still within its first session as leader
        assertThat(p.shouldExpire(true, 1, SESSION, false)).isTrue();
        assertThat(p.shouldExpire(true, 1, SESSION + 1, false)).isFalse();
        assertThat(p.shouldExpire(true, 1, SESSION + 1, true)).isTrue();
        assertThat(p.shouldExpire(false, 1, SESSION + 2, true)).isFalse();
    }
}
