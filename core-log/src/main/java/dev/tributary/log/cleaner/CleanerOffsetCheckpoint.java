package dev.tributary.log.cleaner;

import dev.tributary.log.internal.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code cleaner-offset-checkpoint} file of a data directory: for each compacted partition, the offset up to
 * which it has been cleaned (everything below is clean, everything from it on is dirty). Kafka's text layout, with
 * a version on the first line:
 *
 * <pre>
 * 0                  format version
 * 2                  number of entries
 * orders 0 51200     topic, partition, first dirty offset
 * _schemas 0 88
 * </pre>
 *
 * Written to {@code .tmp}, forced, then atomically renamed, so a crash leaves the old or the new file. A missing
 * file means "nothing cleaned yet" (safe: the cleaner just cleans again). A damaged one throws
 * {@link CorruptCheckpointException} naming the file, line and value, and the manager then starts from empty too.
 *
 * <p>Thread-safe: reads and writes are synchronized; only the cleaner's bookkeeping calls it.
 */
public final class CleanerOffsetCheckpoint {
    public static final String FILE_NAME = "cleaner-offset-checkpoint";
    public static final int VERSION = 0;

    /** A checkpoint file that does not parse. */
    public static final class CorruptCheckpointException extends RuntimeException {
        public CorruptCheckpointException(Path file, int line, String value, String why) {
            super(why + " in " + file + " line " + line + ": '" + value + "'");
        }
    }

    private final Path file;

    public CleanerOffsetCheckpoint(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** Entries keyed {@code topic-partition}; empty when the file does not exist. */
    public synchronized Map<String, Long> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        if (lines.isEmpty()) {
            throw new CorruptCheckpointException(file, 1, "", "empty checkpoint");
        }
        int version = parseInt(lines, 0);
        if (version != VERSION) {
            throw new CorruptCheckpointException(file, 1, lines.get(0), "unsupported version");
        }
        if (lines.size() < 2) {
            throw new CorruptCheckpointException(file, 2, "", "missing entry count");
        }
        int n = parseInt(lines, 1);
        if (n < 0 || lines.size() < 2 + n) {
            throw new CorruptCheckpointException(file, 2, lines.get(1), "entry count disagrees with the file");
        }
        Map<String, Long> out = new TreeMap<>();
        for (int i = 2; i < 2 + n; i++) {
            String[] parts = lines.get(i).trim().split(" ");
            if (parts.length != 3) {
                throw new CorruptCheckpointException(file, i + 1, lines.get(i), "expected 'topic partition offset'");
            }
            try {
                int partition = Integer.parseInt(parts[1]);
                long offset = Long.parseLong(parts[2]);
                out.put(parts[0] + "-" + partition, offset);
            } catch (NumberFormatException e) {
                throw new CorruptCheckpointException(file, i + 1, lines.get(i), "not a number");
            }
        }
        return out;
    }

    private int parseInt(List<String> lines, int i) {
        try {
            return Integer.parseInt(lines.get(i).trim());
        } catch (NumberFormatException e) {
            throw new CorruptCheckpointException(file, i + 1, lines.get(i), "not a number");
        }
    }

    /** Replaces the file with {@code offsets} (keys {@code topic-partition}). */
    public synchronized void write(Map<String, Long> offsets) {
        StringBuilder sb = new StringBuilder();
        sb.append(VERSION).append('\n').append(offsets.size()).append('\n');
        for (Map.Entry<String, Long> e : new TreeMap<>(offsets).entrySet()) {
            String tp = e.getKey();
            int dash = tp.lastIndexOf('-');
            sb.append(tp, 0, dash)
                    .append(' ')
                    .append(tp.substring(dash + 1))
                    .append(' ')
                    .append(e.getValue())
                    .append('\n');
        }
        try {
            AtomicFile.write(file, sb.toString().getBytes(StandardCharsets.UTF_8), true);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }
}
