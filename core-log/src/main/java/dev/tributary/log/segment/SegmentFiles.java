package dev.tributary.log.segment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Names of a segment's files: {@code <base offset, 20 zero-padded digits><suffix>}, exactly as Kafka names
 * them, so Kafka's tools and Tributary read each other's partition directories.
 */
public final class SegmentFiles {
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    /** Appended by retention: the file waits {@code file.delete.delay.ms} before it is removed. */
    public static final String DELETED_SUFFIX = ".deleted";
    /** Used by the compaction: files being written or swapped in. */
    public static final String CLEANED_SUFFIX = ".cleaned";

    public static final String SWAP_SUFFIX = ".swap";

    private SegmentFiles() {}

    public static String filenamePrefix(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    public static Path logFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + LOG_SUFFIX);
    }

    public static Path offsetIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + INDEX_SUFFIX);
    }

    public static Path timeIndexFile(Path dir, long baseOffset) {
        return dir.resolve(filenamePrefix(baseOffset) + TIME_INDEX_SUFFIX);
    }

    /** Removes the three files of the segment at {@code baseOffset}, those that exist. */
    public static void deleteSegmentFiles(Path dir, long baseOffset) throws IOException {
        Files.deleteIfExists(logFile(dir, baseOffset));
        Files.deleteIfExists(offsetIndexFile(dir, baseOffset));
        Files.deleteIfExists(timeIndexFile(dir, baseOffset));
    }

    /** The base offset a file name starts with, or -1 when it is not a segment file name. */
    public static long baseOffsetOf(String fileName) {
        int dot = fileName.indexOf('.');
        if (dot != 20) {
            return -1;
        }
        try {
            return Long.parseLong(fileName.substring(0, 20));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
