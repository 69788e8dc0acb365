package dev.tributary.log;

import dev.tributary.log.cleaner.SegmentSwap;
import dev.tributary.log.index.CorruptIndexException;
import dev.tributary.log.internal.GrowableBuffer;
import dev.tributary.log.segment.FileBatches;
import dev.tributary.log.segment.LogSegment;
import dev.tributary.log.segment.SegmentFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory's segments when the log is opened: finishes interrupted compaction swaps, removes
 * leftovers ({@link LoadPlan}), recovers the segments an unclean shutdown may have torn, checks the indexes of the
 * others, and works out the log start offset, log end offset and recovery point.
 *
 * <p>Recovery re-validates a segment batch by batch and truncates it at the first bad byte ({@link
 * LogSegment#recover}); offsets after a torn point cannot be trusted to follow on, so later segments are deleted,
 * as Kafka does. After a clean shutdown indexes are trusted after a sanity check, and only broken ones are
 * rebuilt. Runs once, on the thread opening the log, before anyone else can see it.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    /** Where the loaded log stands. */
    record Loaded(long logStartOffset, long logEndOffset, long recoveryPoint) {}

    private final Path dir;
    private final String name;
    private final LogConfig config;
    private final LogSegments segments;
    /** Recovery reads whole batches into it. */
    private final GrowableBuffer scratch = new GrowableBuffer(64 * 1024);

    LogLoader(Path dir, String name, LogConfig config, LogSegments segments) {
        this.dir = dir;
        this.name = name;
        this.config = config;
        this.segments = segments;
    }

    /**
     * Fills the (empty) segment map and tells where the log stands; on failure the caller closes the segments.
     *
     * @throws LogStorageException when a file operation fails (operation {@code load})
     */
    Loaded load(LogStateCheckpoint.State state, boolean hadCleanShutdown) {
        try {
            Files.createDirectories(dir);
            return loadSegments(state, hadCleanShutdown);
        } catch (IOException e) {
            throw new LogStorageException(name, "load", -1, dir, e);
        } catch (UncheckedIOException e) {
            throw new LogStorageException(name, "load", -1, dir, e);
        }
    }

    private Loaded loadSegments(LogStateCheckpoint.State state, boolean hadCleanShutdown) throws IOException {
        // a cleaner swap interrupted by a crash is finished or undone first (see SegmentSwap)
        SegmentSwap.completeInterruptedSwaps(dir);
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                names.add(f.getFileName().toString());
            }
        }
        LoadPlan plan = LoadPlan.of(names);
        for (String leftover : plan.leftovers()) {
            Files.deleteIfExists(dir.resolve(leftover));
        }
        List<Long> bases = plan.segmentBases();
        // a compacted log has offset gaps even when opened with a non-compact default configuration
        boolean contiguousOffsets = !config.compact() && !SegmentSwap.hasBeenCompacted(dir);
        for (int i = 0; i < bases.size(); i++) {
            long base = bases.get(i);
            boolean indexesPresent = Files.exists(SegmentFiles.offsetIndexFile(dir, base))
                    && Files.exists(SegmentFiles.timeIndexFile(dir, base));
            LogSegment seg = LogSegment.open(dir, base, config);
            long truncated = 0;
            if (plan.needsRecovery(i, hadCleanShutdown, state.recoveryPoint()) || !indexesPresent) {
                truncated = seg.recover(scratch, contiguousOffsets);
            } else {
                try {
                    seg.loadFromIndexes();
                    if (seg.size() > 0 && seg.timeIndex().entries() == 0) {
                        throw new CorruptIndexException(
                                "time index empty for a non-empty segment",
                                seg.timeIndex().file().toString(),
                                0,
                                0);
                    }
                    checkIndexCoverage(seg);
                } catch (CorruptIndexException e) {
                    LOG.warn(
                            "{}: rebuilding indexes of {}: {}",
                            name,
                            seg.logFile().getFileName(),
                            e.getMessage());
                    truncated = seg.recover(scratch, contiguousOffsets);
                }
            }
            if (!segments.isEmpty() && seg.baseOffset() < segments.active().nextOffset()) {
                // overlaps the previous segment; only a damaged directory does that
                LOG.warn("{}: segment {} overlaps its predecessor; dropping it and later segments", name, base);
                seg.deleteFiles();
                deleteSegmentsFrom(bases.subList(i + 1, bases.size()));
                break;
            }
            segments.add(seg);
            if (truncated > 0) {
                LOG.warn(
                        "{}: recovery truncated {} bytes of {} at byte {}",
                        name,
                        truncated,
                        seg.logFile().getFileName(),
                        seg.size());
                if (i < bases.size() - 1) {
                    // offsets after a torn point cannot be trusted to follow on; Kafka drops them too
                    deleteSegmentsFrom(bases.subList(i + 1, bases.size()));
                    break;
                }
            }
        }
        if (segments.isEmpty()) {
            segments.add(LogSegment.create(dir, Math.max(0, state.logStartOffset()), config));
        }
        // every segment was opened with preallocated indexes; all but the active one go back to trimmed
        LogSegment active = segments.active();
        for (LogSegment s : segments.snapshot()) {
            if (s != active) {
                s.onBecomeInactive();
            }
        }
        long logEndOffset = active.nextOffset();
        long logStartOffset =
                Math.min(Math.max(state.logStartOffset(), segments.first().baseOffset()), logEndOffset);
        long recoveryPoint = hadCleanShutdown ? logEndOffset : Math.min(logEndOffset, active.baseOffset());
        segments.refreshMaxTimestamp();
        return new Loaded(logStartOffset, logEndOffset, recoveryPoint);
    }

    /** A segment whose offset index misses entries it should have (a truncated index file) is rebuilt. */
    private void checkIndexCoverage(LogSegment seg) {
        int entries = seg.offsetIndex().entries();
        int interval = config.indexIntervalBytes();
        int from = entries == 0 ? 0 : seg.offsetIndex().entry(entries - 1).position();
        long bytesSince = 0;
        Iterator<FileBatches.FileBatch> headers = seg.batchesFrom(from);
        boolean first = true;
        while (headers.hasNext()) {
            FileBatches.FileBatch b = headers.next();
            if (!first && bytesSince > interval) {
                throw new CorruptIndexException(
                        "offset index lacks an entry", seg.offsetIndex().file().toString(), b.position(), bytesSince);
            }
            first = false;
            bytesSince += b.batch().sizeInBytes();
        }
    }

    private void deleteSegmentsFrom(List<Long> bases) throws IOException {
        for (long b : bases) {
            SegmentFiles.deleteSegmentFiles(dir, b);
        }
    }
}
