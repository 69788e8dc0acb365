package dev.tributary.log;

import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.LogSegment;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One partition: a directory {@code <topic>-<partition>} of segments in Kafka's formats.
 *
 * <p>The work is split as in Kafka's storage layer: {@link LogLoader} opens the directory and recovers it,
 * {@link LogValidator} checks and numbers appended batches, {@link LogSegments} holds the segments and looks
 * offsets up in them, {@link RetentionPolicy} decides what retention removes and {@link SegmentDeletion} removes
 * it after {@code file.delete.delay.ms}, {@link FlushSchedule} says when to force. This class keeps the offsets
 * and the recovery point, takes the locks, and is the API.
 *
 * <p>Writes ({@link #append}, roll, retention, {@link #deleteRecordsBefore}, {@link #close}) are serialised by
 * one lock; the broker calls {@code append} from one thread per partition at a time. Reads ({@link #read},
 * {@link #offsetForTimestamp}, {@link #batches}) take no lock: they snapshot the volatile log end offset and the
 * concurrent segment map, and a segment only exposes bytes of batches written completely. A {@link FileRegion}
 * stays readable after retention drops its segment, for {@code file.delete.delay.ms}.
 *
 * <p>Durability follows Kafka: data goes to the page cache and is forced by {@code flush.messages} /
 * {@code flush.ms} or {@link #flush()}. Everything below the recovery point is known to be on disk; after an
 * unclean shutdown, segments from the recovery point on are re-validated batch by batch and truncated at the first
 * bad byte, and their indexes rebuilt. A failed file operation throws {@link LogStorageException}; an append that
 * fails leaves nothing behind.
 */
public final class Log implements Closeable {
    private final Path dir;
    private final String topic;
    private final int partition;
    private final String name;
    private final Clock clock;
    private final LogStateCheckpoint checkpoint;
    private final LogSegments segments;
    private final LogValidator validator;
    private final SegmentDeletion deletion;
    private final ReentrantLock lock = new ReentrantLock();

    private volatile LogConfig config;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    private volatile TimestampOffset maxTimestamp = TimestampOffset.UNKNOWN;
    private volatile boolean closed;
    private final LogFlusher flusher;

    private Log(Path dir, String topic, int partition, LogConfig config, Clock clock) {
        this.dir = dir;
        this.topic = topic;
        this.partition = partition;
        this.name = topic + "-" + partition;
        this.config = config;
        this.clock = clock;
        this.checkpoint = new LogStateCheckpoint(dir);
        this.segments = new LogSegments(name);
        this.validator = new LogValidator(name);
        this.deletion = new SegmentDeletion(name);
        this.flusher = new LogFlusher(this, lock, segments, checkpoint, clock);
    }

    /** Opens (or creates) the log in {@code dir}, treating the last shutdown as unclean (see below). */
    public static Log open(Path dir, LogConfig config, Clock clock) {
        return open(dir, config, clock, false);
    }

    /**
     * Opens (or creates) the log in {@code dir}, whose name must be {@code <topic>-<partition>}.
     *
     * @param hadCleanShutdown true when the data dir's clean-shutdown marker was present: indexes are then trusted
     *                         after a sanity check, and only broken ones are rebuilt
     */
    public static Log open(Path dir, LogConfig config, Clock clock, boolean hadCleanShutdown) {
        String dirName = dir.getFileName().toString();
        int dash = dirName.lastIndexOf('-');
        int partition = dash <= 0 ? -1 : LoadPlan.partitionOf(dirName.substring(dash + 1));
        if (partition < 0) {
            throw new IllegalArgumentException("log directory " + dir + " is not named <topic>-<partition>");
        }
        Log log = new Log(dir, dirName.substring(0, dash), partition, config, clock);
        try {
            LogLoader.Loaded loaded = new LogLoader(dir, log.name, config, log.segments)
                    .load(log.checkpoint.read(), hadCleanShutdown);
            log.logStartOffset = loaded.logStartOffset();
            log.logEndOffset = loaded.logEndOffset();
            log.flusher.loaded(loaded.recoveryPoint());
            log.maxTimestamp = log.segments.maxTimestamp();
            log.flusher.writeCheckpoint(loaded.recoveryPoint(), true, "load");
        } catch (RuntimeException e) {
            log.segments.closeAll();
            throw e;
        }
        return log;
    }

    // ---------------------------------------------------------------- accessors

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    /** {@code topic-partition}. */
    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long recoveryPoint() {
        return flusher.recoveryPoint();
    }

    /** Bytes of all segments. */
    public long size() {
        return segments.sizeInBytes();
    }

    public int numberOfSegments() {
        return segments.count();
    }

    /** The segments, oldest first (a snapshot; for tools, tests and the compaction). */
    public List<LogSegment> segments() {
        return segments.snapshot();
    }

    /** The largest timestamp in the log and the last offset of its batch; UNKNOWN when the log has none. */
    public TimestampOffset maxTimestamp() {
        return maxTimestamp;
    }

    // ---------------------------------------------------------------- append

    /**
     * Validates and appends the v2 batches in {@code batches} (position to limit), as a producer sent them.
     * Offsets are assigned from the log end offset by rewriting each batch's base offset in place (the CRC does not
     * cover it); under LogAppendTime each batch is stamped with the clock and re-CRCed. The caller's buffer is
     * modified and must not be reused concurrently.
     *
     * <p>Everything is validated before anything is written, and a write that fails is rolled back: on an exception
     * nothing from this call is in the log and the log end offset is unchanged.
     *
     * @throws CorruptRecordException  bad CRC, wrong magic, impossible length, records not matching the header
     * @throws RecordTooLargeException a batch larger than {@code max.message.bytes}
     * @throws InvalidRecordException  an empty append or batch, offset deltas out of sequence, a max timestamp
     *                                 that disagrees with the records, a record without a key in a compacted log
     * @throws LogStorageException     the file system failed (no space left, an I/O error); operation
     *                                 {@code append}, or {@code flush} when the records are in but
     *                                 {@code flush.messages} could not force them
     */
    public LogAppendInfo append(ByteBuffer batches) {
        lock.lock();
        try {
            ensureOpen();
            LogConfig cfg = config;
            validator.validate(batches, cfg); // pass 1: validate everything, write nothing
            long now = clock.millis();
            boolean appendTime = cfg.timestampType() == LogConfig.TimestampType.LOG_APPEND_TIME;
            long firstOffset = logEndOffset;
            validator.assignOffsets(batches, firstOffset, appendTime, now); // pass 2
            long next = validator.nextOffset();
            int bytes = batches.remaining();
            LogSegment active = segments.active();
            try {
                if (active.shouldRoll(cfg, bytes, validator.batchCount(), next - 1, now)) {
                    active = roll(firstOffset);
                }
                active.append(batches, validator.flyweight(), now); // all or nothing
            } catch (IOException e) {
                throw new LogStorageException(name, "append", firstOffset, active.logFile(), e);
            }
            logEndOffset = next;
            long maxTs = validator.maxTimestamp();
            if (maxTs > maxTimestamp.timestamp()) {
                maxTimestamp = new TimestampOffset(maxTs, validator.offsetOfMaxTimestamp());
            }
            flusher.schedule().appended(validator.records());
            LogAppendInfo info = new LogAppendInfo(firstOffset, next - 1, maxTs, validator.offsetOfMaxTimestamp(),
                    appendTime ? now : -1, validator.records(), validator.batchCount(), bytes, logStartOffset);
            if (flusher.schedule().messagesDue(cfg.flushMessages())) {
                flusher.flushAll();
            }
            return info;
        } finally {
            lock.unlock();
        }
    }

    private LogSegment roll(long newBase) throws IOException {
        LogSegment created = segments.roll(dir, newBase, config);
        flusher.schedule().rolled();
        return created;
    }

    /** Rolls a new active segment now (if the active one is not empty). */
    public void roll() {
        lock.lock();
        try {
            ensureOpen();
            if (!segments.active().isEmpty()) {
                roll(logEndOffset);
            }
        } catch (IOException e) {
            throw new LogStorageException(name, "roll", logEndOffset, dir, e);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- read

    /**
     * A zero-copy region of whole batches starting with the batch that contains {@code offset}: as many as fit in
     * {@code maxBytes}, but at least one even if bigger. Empty at the log end offset. A region never spans two
     * segments.
     *
     * @throws OffsetOutOfRangeException outside [logStartOffset, logEndOffset]
     */
    public FileRegion read(long offset, int maxBytes) {
        long end = logEndOffset;
        long start = logStartOffset;
        if (offset == end) {
            return FileRegion.empty();
        }
        if (offset < start || offset > end) {
            throw new OffsetOutOfRangeException(name, offset, start, end);
        }
        return segments.read(offset, maxBytes);
    }

    /**
     * The first offset whose record timestamp is at or after {@code timestamp}, with that timestamp; empty when
     * every record is older.
     */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        return segments.offsetForTimestamp(timestamp, logStartOffset);
    }

    /**
     * Iterates the batches from the one containing {@code fromOffset} to the log end, each loaded into its own heap
     * buffer and CRC-checked (for producer-state rebuild, offset loaders and tools; fetches use {@link #read}).
     *
     * @throws CorruptRecordException from {@code next()} for a batch whose CRC does not match, naming file and position
     */
    public Iterator<RecordBatch> batches(long fromOffset) {
        return segments.batchesFrom(fromOffset);
    }

    // ---------------------------------------------------------------- log start offset and retention

    /**
     * Advances the log start offset to {@code offset} (Kafka's DeleteRecords) and persists it; segments entirely
     * below it are removed by the next {@link #retention()}.
     *
     * @return the log start offset afterwards
     * @throws OffsetOutOfRangeException when {@code offset} is above the log end offset
     */
    public long deleteRecordsBefore(long offset) {
        lock.lock();
        try {
            ensureOpen();
            if (offset > logEndOffset || offset < 0) {
                throw new OffsetOutOfRangeException(name, offset, logStartOffset, logEndOffset);
            }
            if (offset > logStartOffset) {
                logStartOffset = offset;
                flusher.writeCheckpoint(flusher.recoveryPoint(), true, "delete records");
            }
            return logStartOffset;
        } finally {
            lock.unlock();
        }
    }

    /** One retention pass: {@link #deleteExpiredSegments()} then {@link #removeDeletedFiles()}. */
    public RetentionResult retention() {
        lock.lock();
        try {
            ensureOpen();
            RetentionPolicy.Decision d = decideRetention();
            int deleted = retireOldest(d.segments());
            int removed = deletion.removeDue(clock.millis());
            return new RetentionResult(deleted, d.reason(), removed, logStartOffset);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes from the log the inactive segments that retention (time, size, log start offset) no longer wants,
     * renaming their files {@code .deleted}; their bytes stay readable by transfers already under way until
     * {@link #removeDeletedFiles()} runs after {@code file.delete.delay.ms}.
     *
     * @return number of segments removed
     */
    public int deleteExpiredSegments() {
        lock.lock();
        try {
            ensureOpen();
            return retireOldest(decideRetention().segments());
        } finally {
            lock.unlock();
        }
    }

    private RetentionPolicy.Decision decideRetention() {
        return RetentionPolicy.decide(segments.retentionStats(), config, clock.millis(), logStartOffset);
    }

    private int retireOldest(int count) {
        if (count == 0) {
            return 0;
        }
        try {
            deletion.retireOldest(segments, count, clock.millis() + config.fileDeleteDelayMs());
        } finally {
            logStartOffset = Math.max(logStartOffset, segments.first().baseOffset());
            maxTimestamp = segments.maxTimestamp();
        }
        // not forced: a lost update is rederived on open (the start offset is at least the first segment's base)
        flusher.writeCheckpoint(Math.max(flusher.recoveryPoint(), logStartOffset), false, "retention");
        return count;
    }

    /**
     * Removes the files of {@code .deleted} segments whose {@code file.delete.delay.ms} has passed.
     *
     * @return number of segments whose files were removed
     */
    public int removeDeletedFiles() {
        lock.lock();
        try {
            return deletion.removeDue(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- compaction hook

    /** Puts a cleaned segment in place of old ones; see {@link #replaceSegments}. */
    @FunctionalInterface
    public interface SegmentReplacer {
        /** Renames files so the cleaned segment replaces {@code oldSegments}, and opens it. */
        LogSegment swapIn(List<LogSegment> oldSegments) throws IOException;
    }

    /**
     * Hook for the log cleaner: replaces the consecutive inactive segments {@code oldSegments} by the segment
     * {@code replacer} swaps in (same base offset as the first), under the log's lock so no append, roll or retention
     * interleaves. The old segments join the delayed deletions, so reads in flight finish on their files.
     *
     * @return false, with nothing done, when one of the segments has left the log meanwhile (retention, deletion)
     *         or is the active segment
     */
    public boolean replaceSegments(List<LogSegment> oldSegments, SegmentReplacer replacer) {
        lock.lock();
        try {
            ensureOpen();
            if (!segments.areInactive(oldSegments)) {
                return false;
            }
            try {
                segments.replace(oldSegments, replacer.swapIn(oldSegments));
            } catch (IOException e) {
                throw new LogStorageException(name, "compaction swap", oldSegments.get(0).baseOffset(), dir, e);
            }
            deletion.scheduleAll(oldSegments, clock.millis() + config.fileDeleteDelayMs());
            maxTimestamp = segments.maxTimestamp();
            return true;
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- flush and lifecycle

    /** Forces every unflushed segment and index to disk and moves the recovery point to the log end offset. */
    public void flush() {
        lock.lock();
        try {
            ensureOpen();
            flusher.flushAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The scheduler's flush: when {@code flush.ms} has passed since the last flush with data waiting, forces
     * everything up to the log end offset; after a roll, forces the segments before the active one (as Kafka
     * does on roll). The forcing runs outside the append lock, so producers to this partition are not held
     * behind an fsync of a whole rolled segment (measured before this: p99 produce latency of 1 MiB records
     * rose from ~40 ms to 510-560 ms at half load, the roll's flush stalling every append). Only the
     * recovery point and its checkpoint are updated under the lock afterwards.
     *
     * @return whether a flush ran
     */
    public boolean flushIfDue() {
        return flusher.flushIfDue();
    }

    boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("log " + name + " is closed");
        }
    }

    /**
     * Flushes, records the recovery point, trims the active indexes and closes every file. The files are closed even
     * when the flush fails (a full disk); the failure is thrown afterwards, and the next open recovers.
     */
    @Override
    public void close() {
        flusher.flushLock().lock(); // lets a background flush in progress finish first
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            try {
                flusher.flushAll();
            } finally {
                deletion.removeAllQuietly();
                segments.closeAll();
            }
        } finally {
            lock.unlock();
            flusher.flushLock().unlock();
        }
    }

    /** Closes the log and deletes its directory. */
    public void delete() {
        flusher.flushLock().lock();
        lock.lock();
        try {
            closed = true;
            segments.deleteAll();
            deletion.removeAll();
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new LogStorageException(name, "delete", -1, dir, e);
        } finally {
            lock.unlock();
            flusher.flushLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Log(" + name + ", start=" + logStartOffset + ", end=" + logEndOffset + ", segments="
                + segments.count() + ")";
    }
}
