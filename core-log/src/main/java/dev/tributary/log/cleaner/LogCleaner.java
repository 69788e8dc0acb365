package dev.tributary.log.cleaner;

import dev.tributary.log.CorruptRecordException;
import dev.tributary.log.Log;
import dev.tributary.log.LogManager;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log cleaner's scheduler: {@code log.cleaner.threads} threads, each repeatedly asking the
 * {@link LogCleanerManager} for the dirtiest compacted log and cleaning it with its own {@link Cleaner}; when
 * nothing needs cleaning a thread sleeps {@code log.cleaner.backoff.ms}. Each thread's I/O is throttled to
 * {@code log.cleaner.io.max.bytes.per.second} divided by the number of threads.
 *
 * <h2>What compaction guarantees (cleanup.policy=compact)</h2>
 * <ul>
 *   <li>Every key's latest record survives, at its original offset; older records of the key are removed.
 *       Offsets never change, so a compacted log has gaps and consumers skip them.</li>
 *   <li>The active segment is never cleaned, nor is any record newer than {@code min.compaction.lag.ms}; a log is
 *       cleaned once its dirty ratio reaches {@code min.cleanable.dirty.ratio} (0.5), or when its oldest dirty
 *       record is older than {@code max.compaction.lag.ms}. Segments roll on {@code segment.bytes} or
 *       {@code segment.ms}: a quiet topic is only compacted after its segment rolls.</li>
 *   <li>A tombstone (null value) is its key's latest record and stays for {@code delete.retention.ms} (1 day)
 *       after the first cleaning that saw it, then is removed on a later cleaning.</li>
 *   <li>Records without a key are dropped by the cleaner; the broker rejects them on produce with
 *       {@code INVALID_RECORD}.</li>
 *   <li>Producer id, epoch and sequence of each batch are kept, and each producer's last batch stays (empty if need
 *       be), so idempotent producers keep working after compaction.</li>
 *   <li>A crash at any point leaves the log as it was before or after the cleaning of a segment group; readers
 *       already fetching finish on the old files, which are deleted after {@code file.delete.delay.ms}.</li>
 *   <li>{@code cleanup.policy=compact,delete} compacts and also applies {@code retention.ms} and
 *       {@code retention.bytes} (done by {@link Log#retention()}, which the broker schedules).</li>
 * </ul>
 *
 * <p>Progress is kept in each data directory's {@code cleaner-offset-checkpoint}. Each run's figures are logged
 * and kept as {@link CleanerStats} ({@link #lastStats()}, {@link #totals()}).
 */
public final class LogCleaner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleaner.class);

    /** Running totals since start, for a metrics endpoint. */
    public record Totals(
            long runs, long bytesRead, long bytesWritten, long recordsRemoved, long tombstonesRemoved, long failures) {}

    private final CleanerConfig config;
    private final Clock clock;
    private final LogCleanerManager manager;
    private final List<Thread> threads = new ArrayList<>();
    private final List<Cleaner> threadCleaners = new ArrayList<>();
    private final AtomicReference<CleanerStats> lastStats = new AtomicReference<>();
    private final AtomicLong runs = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private final AtomicLong recordsRemoved = new AtomicLong();
    private final AtomicLong tombstonesRemoved = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final Object wakeup = new Object();
    private Cleaner callerCleaner;
    private volatile SegmentSwap.FaultInjector faults = SegmentSwap.FaultInjector.NONE;
    private volatile boolean running;

    public LogCleaner(CleanerConfig config, List<LogManager> logManagers, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.manager = new LogCleanerManager(logManagers, clock);
    }

    public LogCleanerManager manager() {
        return manager;
    }

    /** For tests: a hook called after each step of the swap protocol. */
    public void faultInjector(SegmentSwap.FaultInjector injector) {
        this.faults = injector;
    }

    private Cleaner newCleaner() {
        return new Cleaner(
                (int) (config.dedupeBufferSize() / config.threads()),
                config.loadFactor(),
                config.ioBufferSize(),
                Throttler.system(config.ioMaxBytesPerSecond() / config.threads()),
                clock);
    }

    /** Starts the cleaner threads (daemon threads named {@code log-cleaner-N}); nothing when disabled. */
    public synchronized void startup() {
        if (!config.enabled() || running) {
            return;
        }
        running = true;
        for (int i = 0; i < config.threads(); i++) {
            Cleaner cleaner = newCleaner();
            threadCleaners.add(cleaner);
            Thread t = new Thread(() -> loop(cleaner), "log-cleaner-" + i);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        LOG.info(
                "log cleaner started with {} threads, {} bytes of offset map each",
                config.threads(),
                config.dedupeBufferSize() / config.threads());
    }

    /** Wakes sleeping threads so newly dirty logs are looked at without waiting for the back-off. */
    public void wakeup() {
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
    }

    private void loop(Cleaner cleaner) {
        while (running) {
            boolean cleaned;
            try {
                cleaned = cleanFilthiest(cleaner).isPresent();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("log cleaner thread failed a run", e);
                cleaned = false;
            }
            if (!cleaned && running) {
                synchronized (wakeup) {
                    try {
                        wakeup.wait(Math.max(1, config.backoffMs()));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }
    }

    /**
     * Cleans the dirtiest log now on the calling thread (the broker's scheduler, tests, tools); empty when no log
     * needs cleaning. Uses its own offset map, allocated on first use.
     */
    public Optional<CleanerStats> cleanOnce() throws InterruptedException {
        synchronized (this) {
            if (callerCleaner == null) {
                callerCleaner = newCleaner();
            }
        }
        synchronized (callerCleaner) {
            return cleanFilthiest(callerCleaner);
        }
    }

    /** Runs {@link #cleanOnce()} until no log needs cleaning; returns the runs. */
    public List<CleanerStats> cleanAll() throws InterruptedException {
        List<CleanerStats> out = new ArrayList<>();
        Optional<CleanerStats> s;
        while ((s = cleanOnce()).isPresent()) {
            out.add(s.get());
            if (s.get().aborted()) {
                break;
            }
        }
        return out;
    }

    private Optional<CleanerStats> cleanFilthiest(Cleaner cleaner) throws InterruptedException {
        Optional<LogCleanerManager.LogToClean> chosen = manager.grabFilthiestLog();
        if (chosen.isEmpty()) {
            return Optional.empty();
        }
        LogCleanerManager.LogToClean c = chosen.get();
        Log log = c.log();
        cleaner.faultInjector(faults);
        CleanerStats stats;
        try {
            stats = cleaner.clean(log, c.range());
        } catch (CorruptRecordException e) {
            failures.incrementAndGet();
            manager.abortCleaning(c.manager(), log, true);
            LOG.error("{}: corrupt data, not cleaning this log again until restart: {}", log.name(), e.getMessage());
            return Optional.empty();
        } catch (Cleaner.CancelledException e) {
            manager.abortCleaning(c.manager(), log, false);
            LOG.info("{}", e.getMessage());
            return Optional.empty();
        } catch (Exception e) {
            failures.incrementAndGet();
            manager.abortCleaning(c.manager(), log, false);
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            LOG.warn("{}: cleaning failed: {}", log.name(), e.toString());
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(log.name() + ": cleaning failed", e);
        }
        if (stats.aborted()) {
            manager.abortCleaning(c.manager(), log, false);
        } else {
            manager.doneCleaning(c.manager(), log, stats.endOffset());
        }
        lastStats.set(stats);
        runs.incrementAndGet();
        bytesRead.addAndGet(stats.bytesRead());
        bytesWritten.addAndGet(stats.bytesWritten());
        recordsRemoved.addAndGet(stats.recordsRemoved());
        tombstonesRemoved.addAndGet(stats.tombstonesRemoved());
        LOG.info("{}", stats.summary());
        return Optional.of(stats);
    }

    /** The figures of the most recent run, if any. */
    public Optional<CleanerStats> lastStats() {
        return Optional.ofNullable(lastStats.get());
    }

    public Totals totals() {
        return new Totals(
                runs.get(),
                bytesRead.get(),
                bytesWritten.get(),
                recordsRemoved.get(),
                tombstonesRemoved.get(),
                failures.get());
    }

    /** Stops the threads; a run in progress stops at its next batch (whole groups already swapped stay). */
    @Override
    public void close() {
        List<Thread> toJoin;
        synchronized (this) {
            running = false;
            toJoin = new ArrayList<>(threads);
            threads.clear();
            threadCleaners.forEach(Cleaner::cancel);
            if (callerCleaner != null) {
                callerCleaner.cancel();
            }
            threadCleaners.clear();
        }
        // no interrupt: an interrupt during FileChannel I/O closes the channel, and the channels are the log's own
        wakeup();
        for (Thread t : toJoin) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
