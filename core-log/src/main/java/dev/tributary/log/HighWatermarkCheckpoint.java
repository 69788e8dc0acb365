package dev.tributary.log;

import dev.tributary.log.epoch.CheckpointFormatException;
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
import java.util.regex.Pattern;

/**
 * The high watermarks of a data directory's partitions, in Kafka's {@code replication-offset-checkpoint} file (same
 * name, same text), so Kafka's tools read ours:
 *
 * <pre>
 * 0                 format version (the only one Kafka has defined)
 * 2                 number of entries
 * orders 0 1200     topic, partition, high watermark, separated by spaces
 * orders 1 980
 * </pre>
 *
 * Topic names cannot hold white space, so the fields split on it. Written whole each time: the text goes to
 * {@code replication-offset-checkpoint.tmp}, is forced, renamed over the file, and the directory is forced, so a
 * crash leaves the old content or the new one. A missing file reads as no entries (a new data directory); a file
 * that breaks the format throws {@link CheckpointFormatException} naming the file and the line, because a high
 * watermark guessed too high would serve records that are not committed.
 *
 * <p>Not thread-safe: one writer (the broker's checkpoint task) per data directory.
 */
public final class HighWatermarkCheckpoint {
    public static final String FILE_NAME = "replication-offset-checkpoint";
    public static final int VERSION = 0;
    private static final Pattern FIELDS = Pattern.compile("\\s+");

    private final Path file;

    private HighWatermarkCheckpoint(Path file) {
        this.file = file;
    }

    /** The checkpoint of the data directory {@code dataDir}. */
    public static HighWatermarkCheckpoint inDirectory(Path dataDir) {
        return new HighWatermarkCheckpoint(dataDir.resolve(FILE_NAME));
    }

    public Path file() {
        return file;
    }

    /**
     * Replaces the file with {@code highWatermarks}.
     *
     * @throws IllegalArgumentException for a topic holding white space or a negative offset
     * @throws UncheckedIOException     when the write fails
     */
    public void write(Map<LogId, Long> highWatermarks) {
        StringBuilder text = new StringBuilder(16 + 32 * highWatermarks.size());
        text.append(VERSION).append('\n').append(highWatermarks.size()).append('\n');
        for (Map.Entry<LogId, Long> e : new TreeMap<>(highWatermarks).entrySet()) {
            String topic = e.getKey().topic();
            if (FIELDS.matcher(topic).find()) {
                throw new IllegalArgumentException("topic '" + topic + "' holds white space");
            }
            if (e.getValue() == null || e.getValue() < 0) {
                throw new IllegalArgumentException("high watermark " + e.getValue() + " of " + e.getKey());
            }
            text.append(topic)
                    .append(' ')
                    .append(e.getKey().partition())
                    .append(' ')
                    .append(e.getValue())
                    .append('\n');
        }
        try {
            AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), true);
            AtomicFile.forceDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    /**
     * The stored high watermarks; empty when the file does not exist.
     *
     * @throws CheckpointFormatException when the file breaks the format (file, 1-based line, text found)
     * @throws UncheckedIOException      when the file cannot be read
     */
    public Map<LogId, Long> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        String source = file.toString();
        if (lines.isEmpty()) {
            throw new CheckpointFormatException("empty file, expected the version", source, 1, "");
        }
        if (parseLong(lines.get(0), "version", source, 1) != VERSION) {
            throw new CheckpointFormatException("unknown version, expected " + VERSION, source, 1, lines.get(0));
        }
        if (lines.size() < 2) {
            throw new CheckpointFormatException("missing the number of entries", source, 2, "");
        }
        long count = parseLong(lines.get(1), "number of entries", source, 2);
        if (count < 0 || count > lines.size() - 2) {
            throw new CheckpointFormatException(
                    "announces " + count + " entries, the file has " + (lines.size() - 2) + " more lines",
                    source,
                    2,
                    lines.get(1));
        }
        Map<LogId, Long> out = new TreeMap<>();
        for (int i = 0; i < count; i++) {
            int lineNo = 3 + i;
            String line = lines.get(2 + i);
            String[] f = FIELDS.split(line.trim());
            if (f.length != 3) {
                throw new CheckpointFormatException("expected 'topic partition offset'", source, lineNo, line);
            }
            long partition = parseLong(f[1], "partition", source, lineNo);
            long offset = parseLong(f[2], "offset", source, lineNo);
            if (partition < 0 || partition > Integer.MAX_VALUE || offset < 0) {
                throw new CheckpointFormatException("negative or impossible number", source, lineNo, line);
            }
            out.put(new LogId(f[0], (int) partition), offset);
        }
        for (int i = 2 + (int) count; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                throw new CheckpointFormatException(
                        "more lines than the " + count + " entries announced", source, i + 1, lines.get(i));
            }
        }
        return out;
    }

    private static long parseLong(String text, String what, String source, int lineNo) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException("expected the " + what + " as an integer", source, lineNo, text);
        }
    }
}
