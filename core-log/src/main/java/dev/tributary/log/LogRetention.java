package dev.tributary.log;

import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The log start offset and the ways segments leave a log. DeleteRecords moves the start offset up; a retention
 * pass retires the oldest segments {@link RetentionPolicy} no longer wants (files renamed {@code .deleted}) and
 * removes, through {@link SegmentDeletion}, the files whose {@code file.delete.delay.ms} has passed; segments a
 * compaction swap replaced join the same delayed removal.
 *
 * <p>Threads: {@link Log} calls every method under its lock, except {@link #logStartOffset()}, which fetches read
 * without it (hence the volatile).
 */
final class LogRetention {
    private final String name;
    private final LogSegments segments;
    private final LogFlusher flusher;
    private final Clock clock;
    private final SegmentDeletion deletion;
    private volatile long logStartOffset;

    /** @param name {@code topic-partition}, named in exceptions */
    LogRetention(String name, LogSegments segments, LogFlusher flusher, Clock clock) {
        this.name = name;
        this.segments = segments;
        this.flusher = flusher;
        this.clock = clock;
        this.deletion = new SegmentDeletion(name);
    }

    long logStartOffset() {
        return logStartOffset;
    }

    /** The start offset the loader found; before the log is published. */
    void loaded(long loadedLogStartOffset) {
        logStartOffset = loadedLogStartOffset;
    }

    /** Kafka's DeleteRecords; see {@link Log#deleteRecordsBefore}. */
    long deleteRecordsBefore(long offset, long logEndOffset) {
        if (offset > logEndOffset || offset < 0) {
            throw new OffsetOutOfRangeException(name, offset, logStartOffset, logEndOffset);
        }
        if (offset > logStartOffset) {
            logStartOffset = offset;
            flusher.writeCheckpoint(flusher.recoveryPoint(), true, "delete records");
        }
        return logStartOffset;
    }

    /**
     * Truncation ({@link Log#truncateTo}): the segments whose base offset is above {@code offset} leave the log,
     * newest first, so a crash in the middle leaves a prefix of the segments (an ordinary log). Their files are
     * renamed {@code .deleted} and removed after {@code file.delete.delay.ms}, as retention does, so fetches in
     * flight finish.
     *
     * @return how many segments left
     */
    int retireAbove(long offset, LogConfig config) {
        long deleteAt = clock.millis() + config.fileDeleteDelayMs();
        int retired = 0;
        for (LogSegment s = segments.active(); s.baseOffset() > offset; s = segments.active()) {
            deletion.retire(s, deleteAt, "truncate");
            segments.remove(s);
            retired++;
        }
        return retired;
    }

    /**
     * {@link Log#truncateFullyAndStartAt}: every segment leaves (files renamed {@code .deleted}, newest first) and
     * {@code fresh}, created by {@code create} once the old names are free, becomes the only one; the log start
     * offset moves to its base offset. The new segment is in the map before the old ones go, so a concurrent reader
     * always finds a segment.
     */
    void restartWith(SegmentCreator create, LogConfig config) throws IOException {
        long deleteAt = clock.millis() + config.fileDeleteDelayMs();
        List<LogSegment> old = segments.snapshot();
        for (int i = old.size() - 1; i >= 0; i--) {
            deletion.rename(old.get(i), "truncate fully");
        }
        LogSegment fresh = create.create();
        segments.add(fresh);
        for (LogSegment s : old) {
            segments.remove(s);
        }
        deletion.scheduleAll(old, deleteAt);
        logStartOffset = fresh.baseOffset();
        segments.refreshMaxTimestamp();
    }

    /** Creates the segment {@link #restartWith} starts the log with. */
    @FunctionalInterface
    interface SegmentCreator {
        LogSegment create() throws IOException;
    }

    /** One pass: {@link #deleteExpiredSegments} then {@link #removeDeletedFiles}. */
    RetentionResult run(LogConfig config) {
        RetentionPolicy.Decision d = decide(config);
        int deleted = retireOldest(d.segments(), config);
        int removed = deletion.removeDue(clock.millis());
        return new RetentionResult(deleted, d.reason(), removed, logStartOffset);
    }

    /** Retires the inactive segments retention no longer wants; returns how many. */
    int deleteExpiredSegments(LogConfig config) {
        return retireOldest(decide(config).segments(), config);
    }

    /** Removes the files of retired segments whose delay has passed; returns how many segments. */
    int removeDeletedFiles() {
        return deletion.removeDue(clock.millis());
    }

    /**
     * The compaction swap ({@link Log#replaceSegments}): the old segments leave the log for the delayed removal,
     * their files unrenamed (the swap has already given them their final names).
     */
    boolean swap(List<LogSegment> oldSegments, SegmentReplacer replacer, Path dir, LogConfig config) {
        if (!segments.swap(oldSegments, replacer, dir)) {
            return false;
        }
        deletion.scheduleAll(oldSegments, clock.millis() + config.fileDeleteDelayMs());
        return true;
    }

    /** Removes every waiting file now, logging failures (closing the log). */
    void removeAllQuietly() {
        deletion.removeAllQuietly();
    }

    /** Removes every waiting file now (deleting the log). */
    void removeAll() throws IOException {
        deletion.removeAll();
    }

    private RetentionPolicy.Decision decide(LogConfig config) {
        return RetentionPolicy.decide(segments.retentionStats(), config, clock.millis(), logStartOffset);
    }

    private int retireOldest(int count, LogConfig config) {
        if (count == 0) {
            return 0;
        }
        try {
            deletion.retireOldest(segments, count, clock.millis() + config.fileDeleteDelayMs());
        } finally {
            logStartOffset = Math.max(logStartOffset, segments.first().baseOffset());
            segments.refreshMaxTimestamp();
        }
        // not forced: a lost update is rederived on open (the start offset is at least the first segment's base)
        flusher.writeCheckpoint(Math.max(flusher.recoveryPoint(), logStartOffset), false, "retention");
        return count;
    }
}
