package dev.tributary.broker.scheduler;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's background jobs: retention checks, flushes, long-poll timeouts, and (for the groups and
 * producer-state code) session timeouts and producer-id expiry. Jobs never run concurrently with
 * themselves; a job that throws is logged and keeps its schedule.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);

    private final ScheduledExecutorService executor;

    public Scheduler(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "tributary-scheduler-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ScheduledExecutorService ex = Executors.newScheduledThreadPool(threads, factory);
        ((java.util.concurrent.ScheduledThreadPoolExecutor) ex).setRemoveOnCancelPolicy(true);
        this.executor = ex;
    }

    /** Runs {@code job} every {@code periodMs}, first after {@code periodMs}. */
    public ScheduledFuture<?> schedulePeriodic(String name, long periodMs, Runnable job) {
        return executor.scheduleWithFixedDelay(guarded(name, job), periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** Runs {@code job} once after {@code delayMs}. Cancel through the returned future. */
    public ScheduledFuture<?> scheduleOnce(String name, long delayMs, Runnable job) {
        return executor.schedule(guarded(name, job), delayMs, TimeUnit.MILLISECONDS);
    }

    private static Runnable guarded(String name, Runnable job) {
        return () -> {
            try {
                job.run();
            } catch (RuntimeException | Error e) {
                log.error("Background job {} failed", name, e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
