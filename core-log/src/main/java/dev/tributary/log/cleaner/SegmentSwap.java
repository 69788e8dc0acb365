package dev.tributary.log.cleaner;

import dev.tributary.log.LogConfig;
import dev.tributary.log.index.CorruptIndexException;
import dev.tributary.log.internal.GrowableBuffer;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.LogSegment;
import dev.tributary.log.segment.SegmentFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The crash-safe protocol that replaces a group of segments {@code S1..Sn} (base offsets {@code B = B1 < .. < Bn})
 * by one cleaned segment with base offset {@code B}, and the recovery that finishes or undoes it at the next open.
 *
 * <pre>
 * step                                           files afterwards                     a crash here recovers to
 * 0 write B.log/.index/.timeindex.cleaned, force S1..Sn, B.*.cleaned                  before (.cleaned deleted)
 * 1 rename B.log.cleaned -> B.log.swap  (COMMIT) S1..Sn, B.log.swap, B.*index.cleaned  after
 * 2 rename B.*index.cleaned -> .swap             S1..Sn, B.*.swap                     after
 * 3 rename each Si's files -> .deleted           Si.*.deleted, B.*.swap                after
 * 4 rename B.log.swap -> B.log                   B.log, B.*index.swap                  after
 * 5 rename B.*index.swap -> B.*index             B.log, B.index, B.timeindex           after
 * </pre>
 *
 * <p>The rename of the cleaned log to {@code .swap} is the commit point: before it nothing the log reads has
 * changed; after it the {@code .swap} log is the truth. Recovery ({@link #completeInterruptedSwaps}) therefore
 * deletes every {@code .cleaned} file, and for each {@code B.log.swap} deletes the regular segments whose base offset
 * lies in [B, end of the swap log) and renames the swap log into place; its indexes are rebuilt from the log. This
 * needs the swap log to reach the group's last offset: the cleaner always keeps the group's last batch (as an empty
 * header batch if all its records go), so a segment of the group can never lie beyond the swap log's end.
 *
 * <p>Readers in flight keep using the old segments after step 3: their files are only renamed, and removed after
 * {@code file.delete.delay.ms}.
 */
public final class SegmentSwap {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentSwap.class);

    /** The steps of the protocol, after each of which a test may inject a crash. */
    public enum Step {
        CLEANED_WRITTEN,
        LOG_SWAP_RENAMED,
        INDEXES_SWAP_RENAMED,
        OLD_SEGMENT_DELETED,
        LOG_RENAMED,
        INDEXES_RENAMED
    }

    /** Called after each step; tests throw from it to simulate a crash there. */
    @FunctionalInterface
    public interface FaultInjector {
        FaultInjector NONE = step -> {};

        void after(Step step) throws IOException;
    }

    /**
     * Written in a partition directory before the first cleaned segment is committed there: from then on its
     * offsets may have gaps, so recovery must not require contiguous offsets even when the log is opened with a
     * configuration that does not say {@code compact} (a broker opens every log with its defaults first). One line,
     * the format version.
     */
    public static final String COMPACTED_MARKER = "log-compacted";

    private SegmentSwap() {}

    /** True when a cleaned segment was ever swapped into {@code dir}, so its offsets may have gaps. */
    public static boolean hasBeenCompacted(Path dir) {
        return Files.exists(dir.resolve(COMPACTED_MARKER));
    }

    private static void markCompacted(Path dir) throws IOException {
        Path marker = dir.resolve(COMPACTED_MARKER);
        if (Files.exists(marker)) {
            return;
        }
        try (FileChannel ch = FileChannel.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            ch.force(true);
        }
        fsyncDir(dir);
    }

    private static Path withSuffix(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /**
     * Steps 1 to 5 for the cleaned segment with base {@code base} (its {@code .cleaned} files written and forced),
     * replacing {@code old}; then opens it. Called under the log's lock.
     */
    static LogSegment swapIn(Path dir, long base, List<LogSegment> old, LogConfig config, FaultInjector faults)
            throws IOException {
        Path log = SegmentFiles.logFile(dir, base);
        Path index = SegmentFiles.offsetIndexFile(dir, base);
        Path timeIndex = SegmentFiles.timeIndexFile(dir, base);
        String cleaned = SegmentFiles.CLEANED_SUFFIX;
        String swap = SegmentFiles.SWAP_SUFFIX;
        markCompacted(dir);
        move(withSuffix(log, cleaned), withSuffix(log, swap));
        fsyncDir(dir);
        faults.after(Step.LOG_SWAP_RENAMED);
        move(withSuffix(index, cleaned), withSuffix(index, swap));
        move(withSuffix(timeIndex, cleaned), withSuffix(timeIndex, swap));
        faults.after(Step.INDEXES_SWAP_RENAMED);
        for (LogSegment s : old) {
            s.renameToDeleted();
            faults.after(Step.OLD_SEGMENT_DELETED);
        }
        move(withSuffix(log, swap), log);
        faults.after(Step.LOG_RENAMED);
        move(withSuffix(index, swap), index);
        move(withSuffix(timeIndex, swap), timeIndex);
        fsyncDir(dir);
        faults.after(Step.INDEXES_RENAMED);
        LogSegment segment = LogSegment.open(dir, base, config);
        try {
            segment.loadFromIndexes();
        } catch (CorruptIndexException e) {
            segment.recover(new GrowableBuffer(64 * 1024), false);
        }
        segment.onBecomeInactive();
        return segment;
    }

    private static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Makes renames durable (Linux needs the directory forced); ignored where directories cannot be opened. */
    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: not all platforms allow opening a directory
        }
    }

    /**
     * Finishes, at log open, a swap a crash interrupted (see the class comment): deletes {@code .cleaned} files,
     * completes every committed {@code .swap} log, and deletes stray index {@code .swap} files. Runs before the log
     * lists its segments; the indexes of a completed swap are missing afterwards and get rebuilt.
     */
    public static void completeInterruptedSwaps(Path dir) throws IOException {
        List<Path> swapLogs = new ArrayList<>();
        List<Path> strays = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String fn = f.getFileName().toString();
                if (fn.endsWith(SegmentFiles.CLEANED_SUFFIX)) {
                    strays.add(f);
                } else if (fn.endsWith(SegmentFiles.LOG_SUFFIX + SegmentFiles.SWAP_SUFFIX)) {
                    swapLogs.add(f);
                } else if (fn.endsWith(SegmentFiles.SWAP_SUFFIX)) {
                    strays.add(f);
                }
            }
        }
        for (Path f : strays) {
            Files.deleteIfExists(f);
        }
        for (Path swapLog : swapLogs) {
            long base = SegmentFiles.baseOffsetOf(swapLog.getFileName().toString());
            long end = nextOffsetOf(swapLog);
            if (base < 0 || end <= base) {
                // an empty or unreadable swap log cannot be a committed cleaning (it was forced before the rename)
                LOG.warn("{}: deleting swap file {} without a readable batch", dir, swapLog.getFileName());
                Files.deleteIfExists(swapLog);
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SegmentFiles.LOG_SUFFIX)) {
                for (Path f : files) {
                    long b = SegmentFiles.baseOffsetOf(f.getFileName().toString());
                    if (b >= base && b < end) {
                        Files.deleteIfExists(f);
                        Files.deleteIfExists(SegmentFiles.offsetIndexFile(dir, b));
                        Files.deleteIfExists(SegmentFiles.timeIndexFile(dir, b));
                    }
                }
            }
            Files.deleteIfExists(SegmentFiles.offsetIndexFile(dir, base));
            Files.deleteIfExists(SegmentFiles.timeIndexFile(dir, base));
            move(swapLog, SegmentFiles.logFile(dir, base));
            LOG.info(
                    "{}: completed the interrupted swap of cleaned segment {} (offsets {} to {})",
                    dir,
                    base,
                    base,
                    end - 1);
        }
        if (!swapLogs.isEmpty()) {
            fsyncDir(dir);
        }
    }

    /** One past the last offset of the whole, valid-looking batches at the start of {@code file}; -1 if none. */
    private static long nextOffsetOf(Path file) throws IOException {
        long next = -1;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            long pos = 0;
            ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
            while (size - pos >= RecordBatch.HEADER_SIZE) {
                header.clear();
                while (header.hasRemaining()) {
                    if (ch.read(header, pos + header.position()) < 0) {
                        return next;
                    }
                }
                int batchSize = header.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
                if (batchSize < RecordBatch.HEADER_SIZE
                        || batchSize > size - pos
                        || header.get(RecordBatch.MAGIC_OFFSET) != RecordBatch.MAGIC) {
                    break;
                }
                next = header.getLong(RecordBatch.BASE_OFFSET_OFFSET)
                        + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET)
                        + 1;
                pos += batchSize;
            }
        }
        return next;
    }
}
