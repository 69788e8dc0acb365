package dev.tributary.log.cleaner;

import dev.tributary.log.Log;
import dev.tributary.log.LogManager;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.FileBatches;
import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleaner's bookkeeping of what is dirty: one {@link CleanerOffsetCheckpoint} per data directory (read at
 * start, rewritten after every successful run, so progress survives restarts), the logs being cleaned now (a log is
 * cleaned by one thread at a time), the logs that failed with corrupt data (skipped until restart rather than
 * retried in a loop), and the choice of the next log: among logs whose {@code cleanup.policy} contains
 * {@code compact}, those {@link DirtyRange#needsCleaning needing cleaning}, the one past its
 * {@code max.compaction.lag.ms} first, else the highest dirty ratio.
 *
 * <p>Thread-safe: every method is synchronized; the work it guards is small (no batch is read here, only the
 * first batch header of a segment when {@code max.compaction.lag.ms} is set).
 */
public final class LogCleanerManager {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleanerManager.class);

    /** A log chosen for cleaning and the range to clean. */
    public record LogToClean(LogManager manager, Log log, DirtyRange range) {}

    private final List<LogManager> managers;
    private final Clock clock;
    private final Map<Path, CleanerOffsetCheckpoint> checkpointFiles = new HashMap<>();
    private final Map<Path, Map<String, Long>> checkpoints = new HashMap<>();
    private final Set<Log> inProgress = new HashSet<>();
    private final Set<String> uncleanable = new HashSet<>();
    /** The log instance each checkpoint entry was written for in this process, to spot a recreated topic. */
    private final Map<String, Log> checkpointedLog = new HashMap<>();

    public LogCleanerManager(List<LogManager> managers, Clock clock) {
        this.managers = List.copyOf(managers);
        this.clock = clock;
        for (LogManager m : managers) {
            CleanerOffsetCheckpoint file = new CleanerOffsetCheckpoint(m.dataDir());
            checkpointFiles.put(m.dataDir(), file);
            Map<String, Long> offsets;
            try {
                offsets = file.read();
            } catch (CleanerOffsetCheckpoint.CorruptCheckpointException | UncheckedIOException e) {
                // losing the checkpoint only costs a re-clean; refusing to start would cost the broker
                LOG.warn(
                        "ignoring damaged cleaner checkpoint, logs will be cleaned from their start: {}",
                        e.getMessage());
                offsets = new TreeMap<>();
            }
            checkpoints.put(m.dataDir(), offsets);
        }
    }

    /** The cleaned-up-to offset of {@code log}, -1 when it was never cleaned. */
    public synchronized long checkpoint(LogManager manager, Log log) {
        Map<String, Long> offsets = checkpoints.get(manager.dataDir());
        String key = key(manager, log);
        Log cleaned = checkpointedLog.get(key);
        if (cleaned != null && cleaned != log) {
            // the topic was deleted and created again: its new log starts dirty from its start
            offsets.remove(log.name());
            checkpointedLog.remove(key);
        }
        return offsets.getOrDefault(log.name(), -1L);
    }

    /** The dirty range of {@code log} now. */
    public synchronized DirtyRange dirtyRange(LogManager manager, Log log) {
        List<LogSegment> segments = log.segments();
        List<DirtyRange.SegmentInfo> infos = new ArrayList<>(segments.size());
        boolean needFirstTimestamp = log.config().maxCompactionLagMs() != Long.MAX_VALUE;
        for (int i = 0; i < segments.size(); i++) {
            LogSegment s = segments.get(i);
            long first = needFirstTimestamp && i < segments.size() - 1 ? firstBatchTimestamp(s) : -1;
            infos.add(new DirtyRange.SegmentInfo(s.baseOffset(), s.size(), s.largestTimestamp(), first));
        }
        return DirtyRange.of(
                infos,
                log.logStartOffset(),
                log.logEndOffset(),
                checkpoint(manager, log),
                log.config(),
                clock.millis());
    }

    private static long firstBatchTimestamp(LogSegment s) {
        if (s.size() < RecordBatch.HEADER_SIZE) {
            return -1;
        }
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        try {
            FileBatches.readFully(s.channel(), header, 0);
        } catch (IOException e) {
            return -1;
        }
        return header.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
    }

    /** Chooses the log that most needs cleaning and marks it in progress; empty when none does. */
    public synchronized Optional<LogToClean> grabFilthiestLog() {
        LogToClean best = null;
        for (LogManager m : managers) {
            for (Log log : m.all()) {
                if (!log.config().compact() || inProgress.contains(log) || uncleanable.contains(key(m, log))) {
                    continue;
                }
                DirtyRange range;
                try {
                    range = dirtyRange(m, log);
                } catch (RuntimeException e) {
                    continue; // closed or deleted meanwhile
                }
                if (!range.needsCleaning(log.config().minCleanableDirtyRatio())) {
                    continue;
                }
                if (best == null || better(range, best.range())) {
                    best = new LogToClean(m, log, range);
                }
            }
        }
        if (best != null) {
            inProgress.add(best.log());
        }
        return Optional.ofNullable(best);
    }

    private static boolean better(DirtyRange a, DirtyRange b) {
        if (a.maxLagExceeded() != b.maxLagExceeded()) {
            return a.maxLagExceeded();
        }
        return a.dirtyRatio() > b.dirtyRatio();
    }

    /** A run finished: records {@code endOffset} as cleaned-up-to and rewrites the data dir's checkpoint file. */
    public synchronized void doneCleaning(LogManager manager, Log log, long endOffset) {
        inProgress.remove(log);
        Map<String, Long> offsets = checkpoints.get(manager.dataDir());
        offsets.put(log.name(), endOffset);
        checkpointedLog.put(key(manager, log), log);
        // forget logs that no longer exist, so a recreated topic starts from its own start
        Set<String> present = new HashSet<>();
        for (Log l : manager.all()) {
            present.add(l.name());
        }
        offsets.keySet().retainAll(present);
        checkpointFiles.get(manager.dataDir()).write(offsets);
    }

    /** A run failed; {@code corrupt} logs are skipped until restart. */
    public synchronized void abortCleaning(LogManager manager, Log log, boolean corrupt) {
        inProgress.remove(log);
        if (corrupt) {
            uncleanable.add(key(manager, log));
        }
    }

    private static String key(LogManager m, Log log) {
        return m.dataDir() + "/" + log.name();
    }
}
