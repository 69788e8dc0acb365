package dev.tributary.log;

import dev.tributary.log.epoch.EpochEndOffset;
import dev.tributary.log.epoch.EpochEntry;
import dev.tributary.log.epoch.LeaderEpochCache;
import dev.tributary.log.epoch.LeaderEpochCheckpointFile;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.LogSegment;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One partition: a directory {@code <topic>-<partition>} of segments in Kafka's formats.
 *
 * <p>The work is split as in Kafka's storage layer: {@link LogLoader} opens the directory and recovers it,
 * {@link LogValidator} checks and numbers appended batches, {@link LogSegments} holds the segments and looks
 * offsets up in them, {@link LogRetention} keeps the log start offset and retires the segments
 * {@link RetentionPolicy} gives up, {@link LogFlusher} forces data when {@link FlushSchedule} says so and keeps the
 * recovery point. This class keeps the log end offset, takes the locks, and is the API.
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
    private final LogFlusher flusher;
    private final LogRetention retention;
    private final LeaderEpochCache epochCache;
    private final ReentrantLock lock = new ReentrantLock();

    private volatile LogConfig config;
    private volatile long logEndOffset;
    private volatile boolean closed;

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
        this.flusher = new LogFlusher(this, lock, segments, checkpoint, clock);
        this.retention = new LogRetention(name, segments, flusher, clock);
        this.epochCache = new LeaderEpochCache(LeaderEpochCheckpointFile.inDirectory(dir));
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
        int partition = LoadPlan.partitionOf(dir);
        String dirName = dir.getFileName().toString();
        Log log;
        try {
            log = new Log(dir, dirName.substring(0, dirName.lastIndexOf('-')), partition, config, clock);
        } catch (UncheckedIOException e) {
            throw new LogStorageException(dirName, "load", -1, dir, e); // the leader-epoch checkpoint
        }
        try {
            LogLoader.Loaded loaded =
                    new LogLoader(dir, log.name, config, log.segments).load(log.checkpoint.read(), hadCleanShutdown);
            log.retention.loaded(loaded.logStartOffset());
            log.logEndOffset = loaded.logEndOffset();
            log.flusher.loaded(loaded.recoveryPoint());
            log.flusher.writeCheckpoint(loaded.recoveryPoint(), true, "load");
            // epochs of records recovery cut off, or that retention removed, go (a crash may have come between)
            log.epochCacheWrite("load", loaded.logEndOffset(), () -> {
                log.epochCache.truncateFromEnd(loaded.logEndOffset());
                log.epochCache.truncateFromStart(loaded.logStartOffset());
            });
        } catch (RuntimeException e) {
            log.segments.closeAll();
            throw e;
        }
        return log;
    }

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
        return retention.logStartOffset();
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
        return segments.maxTimestamp();
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
        return append(batches, AppendOrigin.CLIENT, RecordBatch.NO_PARTITION_LEADER_EPOCH);
    }

    /**
     * {@link #append} on the leader of a replicated partition: validates and assigns offsets the same way, and
     * also writes {@code leaderEpoch} into every batch's partitionLeaderEpoch field (outside the CRC). When
     * {@code leaderEpoch} is newer than the latest epoch of {@link #leaderEpochCache()}, the cache records that
     * it starts at this append's first offset before the batches are written (and forgets it again if the write
     * fails).
     *
     * @throws IllegalArgumentException for a negative {@code leaderEpoch}
     * @throws CorruptRecordException   as {@link #append}; so do the other exceptions
     */
    public LogAppendInfo appendAsLeader(ByteBuffer batches, int leaderEpoch) {
        if (leaderEpoch < 0) {
            throw new IllegalArgumentException("log " + name + ": leader epoch " + leaderEpoch + " is negative");
        }
        return append(batches, AppendOrigin.LEADER, leaderEpoch);
    }

    /**
     * Appends batches a follower fetched from its leader. They keep the leader's offsets, timestamps and leader
     * epochs: they are validated as {@link #append} validates (structure, CRC, sizes, records), and must continue
     * this log: the first batch starts at the log end offset and each batch right after the previous one (in a
     * compacted log, whose leader's cleaner removes whole batches, anywhere after it). For each batch whose
     * partitionLeaderEpoch is newer than the latest epoch of {@link #leaderEpochCache()}, the cache records that
     * the epoch starts at the batch's base offset. Indexes, rolling and flush scheduling are as in {@link #append};
     * on an exception nothing from this call is in the log.
     *
     * @throws UnexpectedAppendOffsetException a batch does not start where the log continues
     * @throws CorruptRecordException          as {@link #append}; so do the other exceptions
     */
    public LogAppendInfo appendAsFollower(ByteBuffer batches) {
        return append(batches, AppendOrigin.REPLICATION, RecordBatch.NO_PARTITION_LEADER_EPOCH);
    }

    /** Who an append comes from: what pass 2 does with the batches. */
    private enum AppendOrigin {
        /** A producer, single-node: offsets assigned, epoch field left as sent. */
        CLIENT,
        /** A producer, on a partition leader: offsets assigned, the leader epoch written. */
        LEADER,
        /** A follower's fetch: offsets checked, nothing rewritten. */
        REPLICATION
    }

    private LogAppendInfo append(ByteBuffer batches, AppendOrigin origin, int leaderEpoch) {
        lock.lock();
        try {
            ensureOpen();
            LogConfig cfg = config;
            validator.validate(batches, cfg); // pass 1: validate everything, write nothing
            long now = clock.millis();
            boolean appendTime = origin != AppendOrigin.REPLICATION
                    && cfg.timestampType() == LogConfig.TimestampType.LOG_APPEND_TIME;
            long firstOffset = logEndOffset;
            switch (origin) { // pass 2
                case CLIENT -> validator.assignOffsets(batches, firstOffset, appendTime, now);
                case LEADER -> validator.assignOffsets(batches, firstOffset, appendTime, now, leaderEpoch);
                case REPLICATION -> validator.checkFollowerOffsets(batches, firstOffset, !cfg.compact());
            }
            List<EpochEntry> epochsBefore = origin == AppendOrigin.CLIENT ? null : assignEpochs(batches);
            long next = validator.nextOffset();
            int bytes = batches.remaining();
            LogSegment active = segments.active();
            try {
                if (active.shouldRoll(cfg, bytes, validator.batchCount(), next - 1, now)) {
                    active = roll(firstOffset);
                }
                active.append(batches, validator.flyweight(), now); // all or nothing
            } catch (IOException | RuntimeException e) {
                if (epochsBefore != null) {
                    restoreEpochs(epochsBefore, firstOffset, e);
                }
                if (e instanceof IOException io) {
                    throw new LogStorageException(name, "append", firstOffset, active.logFile(), io);
                }
                throw (RuntimeException) e;
            }
            logEndOffset = next;
            long maxTs = validator.maxTimestamp();
            segments.appended(maxTs, validator.offsetOfMaxTimestamp());
            LogAppendInfo info = new LogAppendInfo(
                    firstOffset,
                    next - 1,
                    maxTs,
                    validator.offsetOfMaxTimestamp(),
                    appendTime ? now : -1,
                    validator.records(),
                    validator.batchCount(),
                    bytes,
                    retention.logStartOffset());
            flusher.appended(validator.records(), cfg.flushMessages());
            return info;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records in the epoch cache every batch whose leader epoch is newer than the latest one known, before the
     * batches are written (Kafka's order: a crash in between leaves an entry at the log end, which the next open
     * removes).
     *
     * @return the entries before, when one was added (for {@link #restoreEpochs}); null when none was
     */
    private List<EpochEntry> assignEpochs(ByteBuffer batches) {
        RecordBatch b = validator.flyweight();
        List<EpochEntry> before = null;
        for (int p = batches.position(); p < batches.limit(); p += b.sizeInBytes()) {
            b.wrap(batches, p);
            int epoch = b.partitionLeaderEpoch();
            if (epoch >= 0 && epoch > epochCache.latestEpoch().orElse(-1)) {
                if (before == null) {
                    before = epochCache.entries();
                }
                long start = b.baseOffset();
                epochCacheWrite("append", start, () -> epochCache.assign(epoch, start));
            }
        }
        return before;
    }

    /** A write that failed after {@link #assignEpochs} added entries: back to the entries before. */
    private void restoreEpochs(List<EpochEntry> before, long firstOffset, Exception failure) {
        try {
            epochCache.truncateFromEnd(firstOffset);
            for (EpochEntry e : before) {
                if (e.startOffset() >= firstOffset) {
                    epochCache.assign(e.epoch(), e.startOffset());
                }
            }
        } catch (RuntimeException suppressed) {
            failure.addSuppressed(suppressed); // the next open truncates the cache to the log end
        }
    }

    /** Runs a change of the epoch cache, whose checkpoint write fails as {@link UncheckedIOException}. */
    private void epochCacheWrite(String operation, long offset, Runnable change) {
        try {
            change.run();
        } catch (UncheckedIOException e) {
            throw new LogStorageException(name, operation, offset, dir.resolve(LeaderEpochCheckpointFile.FILE_NAME), e);
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
        return segments.read(offset, maxBytes, retention.logStartOffset(), logEndOffset);
    }

    /**
     * As {@link #read(long, int)}, but only whole batches whose base offset is below {@code maxOffset}: a consumer
     * reads up to the high watermark, which lies on a batch boundary on the leader. Empty from {@code maxOffset}
     * up to the log end offset: those offsets exist (a consumer may ask there after a leader change) but may not
     * be read yet. Zero-copy like {@link #read(long, int)}: the cut point is found with the offset index and batch
     * headers.
     *
     * @throws OffsetOutOfRangeException outside [logStartOffset, logEndOffset]
     */
    public FileRegion read(long offset, int maxBytes, long maxOffset) {
        return segments.read(offset, maxBytes, maxOffset, retention.logStartOffset(), logEndOffset);
    }

    /**
     * The first offset whose record timestamp is at or after {@code timestamp}, with that timestamp; empty when
     * every record is older.
     */
    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        return segments.offsetForTimestamp(timestamp, retention.logStartOffset());
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
        return locked(() -> {
            long start = retention.deleteRecordsBefore(offset, logEndOffset);
            truncateEpochsFromStart(start);
            return start;
        });
    }

    /** One retention pass: {@link #deleteExpiredSegments()} then {@link #removeDeletedFiles()}. */
    public RetentionResult retention() {
        return locked(() -> {
            RetentionResult result = retention.run(config);
            truncateEpochsFromStart(retention.logStartOffset());
            return result;
        });
    }

    private void truncateEpochsFromStart(long logStartOffset) {
        epochCacheWrite("retention", logStartOffset, () -> epochCache.truncateFromStart(logStartOffset));
    }

    // ---------------------------------------------------------------- replication

    /**
     * Which leader epoch wrote which offsets of this log, kept in the partition directory's
     * {@code leader-epoch-checkpoint} file. The log adds entries on {@link #appendAsLeader} and
     * {@link #appendAsFollower} and truncates them with the log; a broker may also {@link LeaderEpochCache#assign}
     * directly. Never null.
     */
    public LeaderEpochCache leaderEpochCache() {
        return epochCache;
    }

    /** The OffsetForLeaderEpoch answer for {@code epoch}: {@link LeaderEpochCache#endOffsetFor} at the log end. */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return epochCache.endOffsetFor(epoch, logEndOffset);
    }

    /**
     * Removes every record at and above {@code offset} (a follower dropping a tail its new leader does not have).
     * Segments wholly above go (renamed {@code .deleted}, removed after {@code file.delete.delay.ms}); the segment
     * holding {@code offset} is cut there with its indexes; a batch {@code offset} falls inside goes whole, so the
     * log end offset is then that batch's base offset. The recovery point moves down first, so a crash in the
     * middle makes the next open re-validate from there. The leader-epoch cache is truncated to
     * {@code min(offset, logEndOffset)} even when no record goes (see the broker's {@code TruncationPlanner}).
     * Nothing happens to the records at {@code offset} at or past the log end; below the log start offset this is
     * {@link #truncateFullyAndStartAt}{@code (offset)}.
     *
     * @throws IllegalArgumentException for a negative offset
     * @throws LogStorageException      a file operation failed (operation {@code truncate})
     */
    public void truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("log " + name + ": cannot truncate to negative offset " + offset);
        }
        lock.lock();
        try {
            ensureOpen();
            if (offset < retention.logStartOffset()) {
                truncateFullyAndStartAtLocked(offset);
                return;
            }
            if (offset < logEndOffset) {
                flusher.truncating(offset);
                LogSegment holding;
                try {
                    retention.retireAbove(offset, config);
                    holding = segments.active();
                    holding.truncateTo(offset);
                    holding.onBecomeActive(config);
                } catch (IOException e) {
                    throw new LogStorageException(name, "truncate", offset, dir, e);
                } catch (UncheckedIOException e) {
                    throw new LogStorageException(name, "truncate", offset, dir, e);
                } finally {
                    logEndOffset = segments.active().nextOffset();
                    segments.refreshMaxTimestamp();
                }
            }
            long end = Math.min(offset, logEndOffset);
            epochCacheWrite("truncate", end, () -> epochCache.truncateFromEnd(end));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes every segment and starts an empty log at {@code newStart}: log start offset = log end offset =
     * recovery point = {@code newStart}, the leader-epoch cache cleared (a follower whose fetch offset is out of
     * the leader's range). The old segments are renamed {@code .deleted} and removed after
     * {@code file.delete.delay.ms}.
     *
     * @throws IllegalArgumentException for a negative offset
     * @throws LogStorageException      a file operation failed (operation {@code truncate fully})
     */
    public void truncateFullyAndStartAt(long newStart) {
        if (newStart < 0) {
            throw new IllegalArgumentException("log " + name + ": cannot start at negative offset " + newStart);
        }
        lock.lock();
        try {
            ensureOpen();
            truncateFullyAndStartAtLocked(newStart);
        } finally {
            lock.unlock();
        }
    }

    private void truncateFullyAndStartAtLocked(long newStart) {
        flusher.truncating(Math.min(newStart, logEndOffset));
        try {
            retention.restartWith(() -> LogSegment.create(dir, newStart, config), config);
        } catch (IOException e) {
            throw new LogStorageException(name, "truncate fully", newStart, dir, e);
        } catch (UncheckedIOException e) {
            throw new LogStorageException(name, "truncate fully", newStart, dir, e);
        } finally {
            logEndOffset = segments.active().nextOffset();
        }
        flusher.restartedAt(newStart);
        epochCacheWrite("truncate fully", newStart, epochCache::clear);
    }

    /**
     * Takes out of the log the inactive segments that retention (time, size, log start offset) no longer wants and
     * renames their files {@code .deleted}; transfers under way keep reading them until {@link #removeDeletedFiles()}
     * runs after {@code file.delete.delay.ms}. Returns how many segments left the log.
     */
    public int deleteExpiredSegments() {
        return locked(() -> {
            int deleted = retention.deleteExpiredSegments(config);
            truncateEpochsFromStart(retention.logStartOffset());
            return deleted;
        });
    }

    /** Removes the files of {@code .deleted} segments whose {@code file.delete.delay.ms} has passed; how many. */
    public int removeDeletedFiles() {
        lock.lock();
        try {
            return retention.removeDeletedFiles();
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- compaction hook

    /**
     * Hook for the log cleaner: replaces the consecutive inactive segments {@code oldSegments} by the segment
     * {@code replacer} swaps in (same base offset as the first), under the log's lock so no append, roll or retention
     * interleaves. The old segments join the delayed deletions, so reads in flight finish on their files.
     *
     * @return false, with nothing done, when one of the segments has left the log meanwhile (retention, deletion)
     *         or is the active segment
     */
    public boolean replaceSegments(List<LogSegment> oldSegments, SegmentReplacer replacer) {
        return locked(() -> retention.swap(oldSegments, replacer, dir, config));
    }

    // ---------------------------------------------------------------- flush and lifecycle

    /** Forces every unflushed segment and index to disk and moves the recovery point to the log end offset. */
    public void flush() {
        locked(flusher::flushAll);
    }

    /**
     * The scheduler's flush: when {@code flush.ms} has passed since the last flush with data waiting, forces
     * everything up to the log end offset; after a roll, forces the segments before the active one (as Kafka
     * does on roll). Appends are not held behind the forcing ({@link LogFlusher#flushIfDue} says why).
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

    /** Runs a write under the lock on an open log (append does not use it: no lambda on the hot path). */
    private <T> T locked(Supplier<T> write) {
        lock.lock();
        try {
            ensureOpen();
            return write.get();
        } finally {
            lock.unlock();
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
                retention.removeAllQuietly();
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
            retention.removeAll();
            segments.deleteAll(dir);
        } catch (IOException e) {
            throw new LogStorageException(name, "delete", -1, dir, e);
        } finally {
            lock.unlock();
            flusher.flushLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Log(" + name + ", start=" + retention.logStartOffset() + ", end=" + logEndOffset + ", segments="
                + segments.count() + ")";
    }
}
