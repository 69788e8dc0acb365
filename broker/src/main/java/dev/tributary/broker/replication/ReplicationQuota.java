package dev.tributary.broker.replication;

/**
 * A byte rate limit for replication traffic of one side of a node (Kafka's {@code leader.replication.throttled.rate}
 * or {@code follower.replication.throttled.rate}), measured the way Kafka's quotas measure it: bytes over a window
 * of {@link #SAMPLES} one-second samples, divided by the time the window covers (at least
 * {@code SAMPLES - 1} seconds, so that a fresh window does not read as a burst). Throttled replicas stop moving while
 * the rate is above the limit; others are never held back. Thread-safe; no I/O, the caller passes the time.
 */
public final class ReplicationQuota {
    static final int SAMPLES = 11;
    static final long SAMPLE_MS = 1000;

    private final long[] bytes = new long[SAMPLES];
    private final long[] sampleStart = new long[SAMPLES];
    private int current;
    private volatile long bytesPerSecond;

    /** @param bytesPerSecond the limit; {@link Long#MAX_VALUE} for none */
    public ReplicationQuota(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
        java.util.Arrays.fill(sampleStart, Long.MIN_VALUE);
    }

    public void limit(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    public long limit() {
        return bytesPerSecond;
    }

    public boolean isUnlimited() {
        return bytesPerSecond == Long.MAX_VALUE;
    }

    /** Counts {@code n} bytes of throttled replication moved at {@code nowMs}. */
    public synchronized void record(long n, long nowMs) {
        advance(nowMs);
        bytes[current] += n;
    }

    /** True if throttled replicas must wait: the measured rate is above the limit. */
    public synchronized boolean isExceeded(long nowMs) {
        if (isUnlimited()) {
            return false;
        }
        return rate(nowMs) > bytesPerSecond;
    }

    /** Bytes per second over the window at {@code nowMs}. */
    synchronized double rate(long nowMs) {
        advance(nowMs);
        long total = 0;
        long oldest = Long.MAX_VALUE;
        for (int i = 0; i < SAMPLES; i++) {
            if (sampleStart[i] != Long.MIN_VALUE && sampleStart[i] > nowMs - SAMPLES * SAMPLE_MS) {
                total += bytes[i];
                oldest = Math.min(oldest, sampleStart[i]);
            }
        }
        if (total == 0) {
            return 0;
        }
        long elapsed = Math.max(nowMs - oldest, (SAMPLES - 1) * SAMPLE_MS);
        return total * 1000.0 / elapsed;
    }

    private void advance(long nowMs) {
        if (sampleStart[current] != Long.MIN_VALUE && nowMs < sampleStart[current] + SAMPLE_MS) {
            return;
        }
        if (sampleStart[current] != Long.MIN_VALUE) {
            current = (current + 1) % SAMPLES;
        }
        sampleStart[current] = nowMs - (nowMs % SAMPLE_MS);
        bytes[current] = 0;
    }
}
