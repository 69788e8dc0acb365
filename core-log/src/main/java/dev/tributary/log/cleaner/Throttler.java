package dev.tributary.log.cleaner;

import java.util.function.LongSupplier;

/**
 * Keeps the cleaner's I/O at or below {@code log.cleaner.io.max.bytes.per.second}, so compaction does not starve
 * produce and fetch of disk bandwidth. Callers report bytes as they read or write them; once per
 * {@link #CHECK_INTERVAL_NANOS} the throttle compares the rate since the last check with the limit and sleeps
 * long enough to bring it back down. Checking every 100 ms, not per call, keeps the clock reads off the hot path
 * and lets short bursts through, as Kafka's throttler does.
 *
 * <p>Time and sleeping are injected so tests need no real waiting. Not thread-safe: one per cleaner thread.
 */
public final class Throttler {
    static final long CHECK_INTERVAL_NANOS = 100_000_000L;

    /** Sleeps for the given nanoseconds. */
    @FunctionalInterface
    public interface Sleeper {
        void sleepNanos(long nanos) throws InterruptedException;
    }

    private final double bytesPerSecond;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long periodStartNanos;
    private long bytesInPeriod;
    private long throttledNanos;

    public Throttler(double bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.periodStartNanos = nanoTime.getAsLong();
    }

    public static Throttler system(double bytesPerSecond) {
        return new Throttler(
                bytesPerSecond, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /** Total time slept so far. */
    public long throttledNanos() {
        return throttledNanos;
    }

    /** Reports {@code bytes} of I/O and sleeps if the rate since the last check exceeds the limit. */
    public void maybeThrottle(long bytes) throws InterruptedException {
        if (bytesPerSecond == Double.MAX_VALUE) {
            return;
        }
        bytesInPeriod += bytes;
        long now = nanoTime.getAsLong();
        long elapsed = now - periodStartNanos;
        if (elapsed < CHECK_INTERVAL_NANOS) {
            return;
        }
        double allowedNanos = bytesInPeriod / bytesPerSecond * 1e9;
        long sleep = (long) allowedNanos - elapsed;
        if (sleep > 0) {
            sleeper.sleepNanos(sleep);
            throttledNanos += sleep;
        }
        periodStartNanos = nanoTime.getAsLong();
        bytesInPeriod = 0;
    }
}
