package dev.tributary.broker.fetch;

/**
 * Runs a parked fetch's timeout once, after {@code max.wait.ms}. The broker's scheduler in production;
 * a manual timer that tests advance by hand.
 */
@FunctionalInterface
public interface FetchTimer {

    /** Runs {@code task} once after {@code delayMs}, on a timer thread, unless cancelled first. */
    Timeout schedule(long delayMs, Runnable task);

    /** A scheduled task. */
    @FunctionalInterface
    interface Timeout {
        /** Stops the task if it has not run; does nothing otherwise. */
        void cancel();
    }
}
