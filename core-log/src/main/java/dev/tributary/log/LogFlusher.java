package dev.tributary.log;

import dev.tributary.log.segment.LogSegment;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Durability of one log: forces segments to disk when {@link FlushSchedule} says so, keeps the recovery point
 * (everything below it is on disk) and writes it with the log start offset to {@code log-state.checkpoint}.
 *
 * <p>Locking: {@link #flushAll} runs under the log's lock. {@link #flushIfDue} takes the flush lock, decides and
 * snapshots under the log's lock, forces outside it, and takes the log's lock again only to move the recovery
 * point; {@link Log#close()} takes the flush lock first so that a background flush finishes before the files
 * close.
 */
final class LogFlusher {
    private final Log log;
    private final ReentrantLock logLock;
    private final LogSegments segments;
    private final LogStateCheckpoint checkpoint;
    private final Clock clock;
    private final FlushSchedule schedule;
    private final ReentrantLock flushLock = new ReentrantLock();
    private volatile long recoveryPoint;

    LogFlusher(Log log, ReentrantLock logLock, LogSegments segments, LogStateCheckpoint checkpoint, Clock clock) {
        this.log = log;
        this.logLock = logLock;
        this.segments = segments;
        this.checkpoint = checkpoint;
        this.clock = clock;
        this.schedule = new FlushSchedule(clock.millis());
    }

    long recoveryPoint() {
        return recoveryPoint;
    }

    /** The recovery point the loader found; before the log is published. */
    void loaded(long loadedRecoveryPoint) {
        recoveryPoint = loadedRecoveryPoint;
    }

    /**
     * The log is about to be truncated to {@code offset} (or restarted there): the recovery point moves down to it
     * and is forced to the checkpoint before any file changes, so a crash in the middle of the truncation makes
     * the next open re-validate everything from there. Under the log's lock.
     */
    void truncating(long offset) {
        if (offset < recoveryPoint) {
            recoveryPoint = offset;
        }
        writeCheckpoint(recoveryPoint, true, "truncate");
    }

    /** After {@link Log#truncateFullyAndStartAt}: the new, empty log is on disk up to its start. */
    void restartedAt(long newStart) {
        recoveryPoint = newStart;
        writeCheckpoint(recoveryPoint, true, "truncate fully");
    }

    FlushSchedule schedule() {
        return schedule;
    }

    /** Counts an append's records; forces everything when {@code flush.messages} records wait. Under the log's lock. */
    void appended(int records, long flushMessages) {
        schedule.appended(records);
        if (schedule.messagesDue(flushMessages)) {
            flushAll();
        }
    }

    /** Held by close and delete, so that a background flush in progress finishes first. */
    ReentrantLock flushLock() {
        return flushLock;
    }

    /**
     * Synchronous flush (flush.messages, explicit flush, close): everything up to the log end offset.
     *
     * @return the recovery point afterwards
     */
    long flushAll() {
        long upTo = log.logEndOffset();
        segments.force(segments.flushCandidates(recoveryPoint, upTo), upTo, () -> false);
        recoveryPoint = Math.max(recoveryPoint, upTo);
        schedule.flushedAll(clock.millis());
        writeCheckpoint(recoveryPoint, true, "flush");
        return recoveryPoint;
    }

    /**
     * The scheduler's flush; see {@link Log#flushIfDue()}. The forcing runs outside the log's lock, so producers to
     * the partition are not held behind an fsync of a whole rolled segment (measured before this: p99 produce
     * latency of 1 MiB records rose from ~40 ms to 510-560 ms at half load, the roll's flush stalling every
     * append). Only the recovery point and its checkpoint are updated under the lock afterwards.
     */
    boolean flushIfDue() {
        flushLock.lock();
        try {
            long upTo;
            List<LogSegment> toFlush;
            logLock.lock();
            try {
                if (log.isClosed()) {
                    return false; // a topic deleted while the scheduler ran; close() flushed it
                }
                upTo = schedule.takeDue(
                        clock.millis(),
                        log.config().flushMs(),
                        log.logEndOffset(),
                        segments.active().baseOffset());
                if (upTo == FlushSchedule.NOT_DUE) {
                    return false;
                }
                toFlush = segments.flushCandidates(recoveryPoint, upTo);
            } finally {
                logLock.unlock();
            }
            segments.force(toFlush, upTo, log::isClosed);
            logLock.lock();
            try {
                if (!log.isClosed() && upTo > recoveryPoint) {
                    recoveryPoint = upTo;
                    writeCheckpoint(recoveryPoint, true, "flush");
                }
            } finally {
                logLock.unlock();
            }
            return true;
        } finally {
            flushLock.unlock();
        }
    }

    /**
     * Writes the log start offset and {@code recoveryPointToWrite} to the checkpoint, under the log's lock.
     *
     * @param durable force the file; retention skips it because a lost update is rederived on open
     */
    void writeCheckpoint(long recoveryPointToWrite, boolean durable, String operation) {
        try {
            checkpoint.write(new LogStateCheckpoint.State(log.logStartOffset(), recoveryPointToWrite), durable);
        } catch (UncheckedIOException e) {
            throw new LogStorageException(log.name(), operation, recoveryPointToWrite, checkpoint.file(), e);
        }
    }
}
