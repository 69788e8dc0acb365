package dev.tributary.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicationQuotaTest {
    private static final long T0 = 1_000_000;

    @Test
    void anUnlimitedQuotaIsNeverExceeded() {
        ReplicationQuota q = new ReplicationQuota(Long.MAX_VALUE);
        q.record(Long.MAX_VALUE / 2, T0);
        assertThat(q.isExceeded(T0)).isFalse();
    }

    @Test
    void aFreshWindowCountsAsTenSecondsSoABurstOfTenSecondsOfBytesPasses() {
        ReplicationQuota q = new ReplicationQuota(1000);
        q.record(9_000, T0);
        assertThat(q.isExceeded(T0)).isFalse();
        q.record(2_000, T0 + 10);
        assertThat(q.isExceeded(T0 + 10)).isTrue();
    }

    @Test
    void theRateFallsBackUnderTheLimitAsTheWindowMovesOn() {
        ReplicationQuota q = new ReplicationQuota(1000);
        q.record(20_000, T0);
        assertThat(q.isExceeded(T0 + 5_000)).isTrue();
        // 20 000 bytes over 20 s is the limit itself, not above it; after 11 s the burst has left the window
        assertThat(q.isExceeded(T0 + 11_000)).isFalse();
        assertThat(q.rate(T0 + 11_000)).isZero();
    }

    @Test
    void aSteadyFlowAtTheLimitStaysAtTheLimit() {
        ReplicationQuota q = new ReplicationQuota(1000);
        for (long t = 0; t < 30_000; t += 100) {
            q.record(100, T0 + t);
        }
        assertThat(q.rate(T0 + 30_000)).isBetween(900.0, 1100.0);
    }

    @Test
    void aChangedLimitAppliesAtOnce() {
        ReplicationQuota q = new ReplicationQuota(1000);
        q.record(5_000, T0);
        assertThat(q.isExceeded(T0)).isFalse();
        q.limit(100);
        assertThat(q.isExceeded(T0)).isTrue();
        q.limit(Long.MAX_VALUE);
        assertThat(q.isExceeded(T0)).isFalse();
    }
}
