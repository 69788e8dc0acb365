package dev.tributary.log;

import dev.tributary.log.internal.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code log-state.checkpoint} file in a partition directory: the log start offset (moved by retention and
 * deleteRecords) and the recovery point (everything below it is known to be on disk). Text, in the style of
 * Kafka's checkpoint files, with a version on the first line:
 *
 * <pre>
 * 0                       format version
 * 2                       number of entries
 * log-start-offset 1200
 * recovery-point 5400
 * </pre>
 *
 * Written to a temporary file, forced, then atomically renamed over the old one, so a crash leaves either the
 * old or the new content. A missing or unreadable file means "start offset from the first segment, recover
 * everything", which is always safe.
 */
final class LogStateCheckpoint {
    static final String FILE_NAME = "log-state.checkpoint";
    static final int VERSION = 0;

    record State(long logStartOffset, long recoveryPoint) {}

    private final Path file;

    LogStateCheckpoint(Path dir) {
        this.file = dir.resolve(FILE_NAME);
    }

    Path file() {
        return file;
    }

    /** The stored state, or (0, 0) when the file is missing or damaged. */
    State read() {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                return new State(0, 0);
            }
            int n = Integer.parseInt(lines.get(1).trim());
            long start = 0;
            long recovery = 0;
            for (int i = 0; i < n && 2 + i < lines.size(); i++) {
                String[] kv = lines.get(2 + i).trim().split(" ");
                if (kv[0].equals("log-start-offset")) {
                    start = Long.parseLong(kv[1]);
                } else if (kv[0].equals("recovery-point")) {
                    recovery = Long.parseLong(kv[1]);
                }
            }
            return new State(start, recovery);
        } catch (NoSuchFileException e) {
            return new State(0, 0);
        } catch (IOException | RuntimeException e) {
            return new State(0, 0);
        }
    }

    void write(State state) {
        write(state, true);
    }

    /**
     * @param durable force the file before the rename; retention skips it because a lost update is rederived on
     *                open (the log start offset is at least the first segment's base offset), and an fsync inside
     *                the append path stalls the writer behind the file system journal
     */
    void write(State state, boolean durable) {
        String text = VERSION + "\n2\nlog-start-offset " + state.logStartOffset() + "\nrecovery-point "
                + state.recoveryPoint() + "\n";
        try {
            AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8), durable);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
