package dev.tributary.log;

import dev.tributary.log.record.BatchValidator;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.FileBatches;
import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The segments of one log by base offset, oldest first; the last is the active one.
 *
 * <p>Threads: changed only under the log's lock (load, roll, retention, compaction swaps); read without a lock by
 * fetches and timestamp lookups, which is why the map is a concurrent one: a reader sees every segment that was
 * in the log when it looked, and a compaction swap puts the new segment in before the old ones leave, so a reader
 * always finds a segment for every offset.
 *
 * <p>The largest timestamp is kept here: raised by appends, recomputed when segments leave (writers, under the
 * log's lock), read without a lock.
 *
 * <p>The lookups by offset and timestamp ({@link #read}, {@link #offsetForTimestamp}, {@link #batchesFrom}) are
 * here; the log checks the offset range before it calls them. A failed read throws {@link LogStorageException}.
 */
final class LogSegments {
    private static final Logger LOG = LoggerFactory.getLogger(LogSegments.class);

    private final String name;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
    private volatile TimestampOffset maxTimestamp = TimestampOffset.UNKNOWN;

    /** @param name {@code topic-partition}, named in exceptions */
    LogSegments(String name) {
        this.name = name;
    }

    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    /** Removes {@code segment} if it is still the one at its base offset (a swap may have replaced it). */
    void remove(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
    }

    /** True when {@code segment} is in the log (not retired by retention or replaced by compaction). */
    boolean contains(LogSegment segment) {
        return segments.get(segment.baseOffset()) == segment;
    }

    boolean isEmpty() {
        return segments.isEmpty();
    }

    int count() {
        return segments.size();
    }

    /** The segment appends go to. */
    LogSegment active() {
        return segments.lastEntry().getValue();
    }

    /** The oldest segment. */
    LogSegment first() {
        return segments.firstEntry().getValue();
    }

    /** The segment that holds {@code offset}: the last one with a base offset at or below it, else the first. */
    LogSegment floor(long offset) {
        Map.Entry<Long, LogSegment> e = segments.floorEntry(offset);
        return e != null ? e.getValue() : segments.firstEntry().getValue();
    }

    /** The segment after {@code segment}, or null. */
    LogSegment next(LogSegment segment) {
        Map.Entry<Long, LogSegment> e = segments.higherEntry(segment.baseOffset());
        return e == null ? null : e.getValue();
    }

    /**
     * Makes a new, empty active segment at {@code newBase}; on failure (a full disk) nothing changed and no file of
     * the new segment is left. Under the log's lock.
     */
    LogSegment roll(Path dir, long newBase, LogConfig config) throws IOException {
        LogSegment old = active();
        old.timeIndex().reserve(1); // room for the final time index entry onBecomeInactive writes
        LogSegment created;
        try {
            created = LogSegment.create(dir, newBase, config);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        old.onBecomeInactive();
        add(created);
        return created;
    }

    /** True when every one of {@code candidates} is in the log and none is the active segment. */
    boolean areInactive(List<LogSegment> candidates) {
        LogSegment active = active();
        for (LogSegment s : candidates) {
            // a segment truncated in place may have been read by the cleaner before it was truncated
            if (!contains(s) || s == active || s.wasTruncatedInPlace()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts {@code replacement} (a cleaned segment, with the base offset of the first old one) in place of
     * {@code old}: the new one goes in first, so a concurrent reader always finds a segment for every offset. The
     * cleaner may have dropped the record with the largest timestamp, so {@link #maxTimestamp()} is recomputed.
     */
    void replace(List<LogSegment> old, LogSegment replacement) {
        add(replacement);
        for (LogSegment s : old) {
            remove(s);
        }
        refreshMaxTimestamp();
    }

    /**
     * The compaction swap: when every one of {@code old} is still in the log and none is the active segment, puts
     * the segment {@code replacer} swaps in in their place ({@link #replace}).
     *
     * @return false, with nothing done, when one of them has left the log or is the active segment
     */
    boolean swap(List<LogSegment> old, SegmentReplacer replacer, Path dir) {
        if (!areInactive(old)) {
            return false;
        }
        try {
            replace(old, replacer.swapIn(old));
        } catch (IOException e) {
            throw new LogStorageException(name, "compaction swap", old.get(0).baseOffset(), dir, e);
        }
        return true;
    }

    /**
     * Forces {@code toFlush} to disk. A segment closed meanwhile is skipped when it left the log (retention, the
     * cleaner) or the log was closed ({@code logClosed}): nothing is left to make durable.
     */
    void force(List<LogSegment> toFlush, long upTo, BooleanSupplier logClosed) {
        for (LogSegment s : toFlush) {
            try {
                s.flush();
            } catch (ClosedChannelException e) {
                if (!logClosed.getAsBoolean() && contains(s)) {
                    throw new LogStorageException(name, "flush", upTo, s.logFile(), e);
                }
            } catch (IOException e) {
                throw new LogStorageException(name, "flush", upTo, s.logFile(), e);
            }
        }
    }

    /** Bytes of all segments. */
    long sizeInBytes() {
        long total = 0;
        for (LogSegment s : segments.values()) {
            total += s.size();
        }
        return total;
    }

    /** The segments now, oldest first. */
    List<LogSegment> snapshot() {
        return List.copyOf(segments.values());
    }

    /** The segments from the one holding {@code offset} on, oldest first. */
    List<LogSegment> snapshotFrom(long offset) {
        Long from = segments.floorKey(offset);
        return new ArrayList<>(
                segments.tailMap(from == null ? Long.MIN_VALUE : from).values());
    }

    /**
     * The segments that may hold data not yet forced to disk when everything up to (excluding) {@code upTo} is to
     * be: from the one holding {@code recoveryPoint} to the last starting below {@code upTo}.
     */
    List<LogSegment> flushCandidates(long recoveryPoint, long upTo) {
        List<LogSegment> out = new ArrayList<>();
        for (LogSegment s : snapshotFrom(recoveryPoint)) {
            if (s.baseOffset() >= upTo) {
                break;
            }
            out.add(s);
        }
        return out;
    }

    /** The largest timestamp of all segments and the last offset of its batch; UNKNOWN when none has one. */
    TimestampOffset maxTimestamp() {
        return maxTimestamp;
    }

    /** An append whose largest timestamp is {@code timestamp}, in the batch ending at {@code offset}. */
    void appended(long timestamp, long offset) {
        if (timestamp > maxTimestamp.timestamp()) {
            maxTimestamp = new TimestampOffset(timestamp, offset);
        }
    }

    /** Recomputes {@link #maxTimestamp()} from the segments (after a load, or when segments left the log). */
    void refreshMaxTimestamp() {
        TimestampOffset max = TimestampOffset.UNKNOWN;
        for (LogSegment s : segments.values()) {
            TimestampOffset t = s.maxTimestampSoFar();
            if (t.timestamp() > max.timestamp()) {
                max = t;
            }
        }
        maxTimestamp = max;
    }

    /** What retention decides on: base offset, size and age of every segment, oldest first. */
    List<RetentionPolicy.SegmentStats> retentionStats() {
        List<RetentionPolicy.SegmentStats> stats = new ArrayList<>(segments.size());
        for (LogSegment s : segments.values()) {
            stats.add(new RetentionPolicy.SegmentStats(s.baseOffset(), s.size(), s.largestTimestamp()));
        }
        return stats;
    }

    /**
     * Whole batches from the one containing {@code offset}, up to {@code maxBytes} but at least one, from the first
     * segment that has a batch at or after it; empty when none has.
     */
    FileRegion read(long offset, int maxBytes, long logStartOffset, long logEndOffset) {
        return read(offset, maxBytes, Long.MAX_VALUE, logStartOffset, logEndOffset);
    }

    /**
     * As {@link #read(long, int, long, long)}, with only batches whose base offset is below {@code maxOffset}; empty
     * from {@code maxOffset} up to the log end offset.
     */
    FileRegion read(long offset, int maxBytes, long maxOffset, long logStartOffset, long logEndOffset) {
        if (offset == logEndOffset) {
            return FileRegion.empty();
        }
        if (offset < logStartOffset || offset > logEndOffset) {
            throw new OffsetOutOfRangeException(name, offset, logStartOffset, logEndOffset);
        }
        if (offset >= maxOffset) {
            return FileRegion.empty();
        }
        for (LogSegment s = floor(offset); s != null && s.baseOffset() < maxOffset; s = next(s)) {
            try {
                FileRegion region = s.read(offset, maxBytes, maxOffset);
                if (region != null) {
                    return region;
                }
            } catch (IOException e) {
                throw new LogStorageException(name, "read", offset, s.logFile(), e);
            }
        }
        return FileRegion.empty();
    }

    /** The first record at or after {@code timestamp} with an offset at or after {@code logStartOffset}. */
    Optional<TimestampOffset> offsetForTimestamp(long timestamp, long logStartOffset) {
        for (LogSegment s : segments.values()) {
            if (s.nextOffset() <= logStartOffset || s.maxTimestampSoFar().timestamp() < timestamp) {
                continue;
            }
            try {
                Optional<TimestampOffset> found = s.findOffsetByTimestamp(timestamp, logStartOffset);
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException e) {
                throw new LogStorageException(name, "offset for timestamp", logStartOffset, s.logFile(), e);
            }
        }
        return Optional.empty();
    }

    /** The batches from the one containing {@code fromOffset} on, each read into its own buffer and CRC-checked. */
    Iterator<RecordBatch> batchesFrom(long fromOffset) {
        List<LogSegment> snapshot = snapshotFrom(fromOffset);
        return new Iterator<>() {
            int segIndex = -1;
            Iterator<FileBatches.FileBatch> current = Collections.emptyIterator();
            LogSegment seg;

            @Override
            public boolean hasNext() {
                while (!current.hasNext()) {
                    if (++segIndex >= snapshot.size()) {
                        return false;
                    }
                    seg = snapshot.get(segIndex);
                    int pos = 0;
                    if (segIndex == 0) {
                        try {
                            pos = seg.translateOffset(
                                    fromOffset, seg.size(), ByteBuffer.allocate(FileBatches.SHALLOW_HEADER));
                        } catch (IOException e) {
                            throw new LogStorageException(name, "read", fromOffset, seg.logFile(), e);
                        }
                        if (pos < 0) {
                            continue;
                        }
                    }
                    current = seg.batchesFrom(pos);
                }
                return true;
            }

            @Override
            public RecordBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                FileBatches.FileBatch b = current.next();
                BatchValidator.ensureValid(b.batch(), seg.logFile().toString(), b.position());
                return b.batch();
            }
        };
    }

    /** Closes every segment's files, logging failures (closing the log, or a load that failed). */
    void closeAll() {
        for (LogSegment s : segments.values()) {
            try {
                s.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("{}: closing {}: {}", name, s.logFile(), e.toString());
            }
        }
    }

    /** Deletes every segment's files and forgets them, then deletes {@code dir} with the rest (deleting the log). */
    void deleteAll(Path dir) throws IOException {
        for (LogSegment s : segments.values()) {
            s.deleteFiles();
        }
        segments.clear();
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
