package dev.tributary.log;

import dev.tributary.log.segment.SegmentFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a partition directory's file names say before the log is opened, decided without I/O: the segments to open
 * (by base offset, ascending) and the leftovers to remove first.
 *
 * <p>Leftovers are files nothing reads any more: {@code .deleted} segments (a retention whose delayed removal was
 * cut short by the shutdown), {@code .cleaned} files (a compaction that did not commit), {@code .tmp} files (an
 * {@link dev.tributary.log.internal.AtomicFile} write interrupted before its rename; the file it was replacing is
 * still whole), and index files without their {@code .log}.
 *
 * @param segmentBases base offsets of the {@code .log} files, ascending
 * @param leftovers    names of the files to delete
 */
record LoadPlan(List<Long> segmentBases, List<String> leftovers) {
    static final String TMP_SUFFIX = ".tmp";

    /** The partition a log directory's name ends with ({@code orders-3}: 3); -1 unless it is {@code <topic>-<n>}. */
    /** The partition of a log directory; refuses a directory not named {@code <topic>-<partition>}. */
    static int partitionOf(Path dir) {
        int partition = partitionOf(dir.getFileName().toString());
        if (partition < 0) {
            throw new IllegalArgumentException("log directory " + dir + " is not named <topic>-<partition>");
        }
        return partition;
    }

    static int partitionOf(String dirName) {
        int dash = dirName.lastIndexOf('-');
        if (dash <= 0) {
            return -1;
        }
        try {
            return Integer.parseInt(dirName.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Sorts the names of a directory's files (interrupted swaps already completed) into segments and leftovers. */
    static LoadPlan of(Collection<String> fileNames) {
        Set<Long> logs = new HashSet<>();
        for (String fn : fileNames) {
            if (fn.endsWith(SegmentFiles.LOG_SUFFIX) && SegmentFiles.baseOffsetOf(fn) >= 0) {
                logs.add(SegmentFiles.baseOffsetOf(fn));
            }
        }
        List<String> leftovers = new ArrayList<>();
        for (String fn : fileNames) {
            boolean index = fn.endsWith(SegmentFiles.INDEX_SUFFIX) || fn.endsWith(SegmentFiles.TIME_INDEX_SUFFIX);
            if (fn.endsWith(SegmentFiles.DELETED_SUFFIX)
                    || fn.endsWith(SegmentFiles.CLEANED_SUFFIX)
                    || fn.endsWith(TMP_SUFFIX)
                    || index && SegmentFiles.baseOffsetOf(fn) >= 0 && !logs.contains(SegmentFiles.baseOffsetOf(fn))) {
                leftovers.add(fn);
            }
        }
        List<Long> bases = new ArrayList<>(logs);
        bases.sort(null);
        return new LoadPlan(List.copyOf(bases), List.copyOf(leftovers));
    }

    /**
     * Whether the segment at {@code index} of {@link #segmentBases} must be re-validated batch by batch: after an
     * unclean shutdown, the active (last) segment and every segment that may hold offsets from the recovery point
     * on (its successor starts above it). After a clean shutdown none does; broken indexes are caught separately.
     */
    boolean needsRecovery(int index, boolean hadCleanShutdown, long recoveryPoint) {
        if (hadCleanShutdown) {
            return false;
        }
        return index == segmentBases.size() - 1 || segmentBases.get(index + 1) > recoveryPoint;
    }
}
