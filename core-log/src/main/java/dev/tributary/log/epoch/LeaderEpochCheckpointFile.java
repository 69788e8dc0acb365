package dev.tributary.log.epoch;

import dev.tributary.log.internal.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code leader-epoch-checkpoint} file of a partition directory, in Kafka's text format, so that Kafka's
 * tools and a Kafka broker read ours and we read theirs:
 *
 * <pre>
 * 0            format version (the only one Kafka has defined)
 * 3            number of entries
 * 0 0          epoch, a space, the offset of the epoch's first record
 * 2 1200
 * 5 5400
 * </pre>
 *
 * Lines end with {@code \n}. Entries increase in epoch and in start offset ({@link LeaderEpochCache} keeps them
 * so; this class only stores them).
 *
 * <p>Writes replace the file atomically: the text goes to {@code leader-epoch-checkpoint.tmp}, is forced, is
 * renamed over the file, and the directory is forced so the rename itself survives a power cut. A crash
 * therefore leaves the old entries or the new ones, never a mix. A missing file reads as no entries (a new
 * partition); a file that breaks the format throws {@link CheckpointFormatException} naming the file, the line
 * and the text found, because guessing would lose the epochs that decide where a follower truncates.
 *
 * <p>Not thread-safe; its {@link LeaderEpochCache} calls it under the cache's lock.
 */
public final class LeaderEpochCheckpointFile implements EpochCheckpoint {
    public static final String FILE_NAME = "leader-epoch-checkpoint";
    public static final int VERSION = 0;

    private final Path file;

    public LeaderEpochCheckpointFile(Path file) {
        this.file = file;
    }

    /** The checkpoint of the partition directory {@code dir}. */
    public static LeaderEpochCheckpointFile inDirectory(Path dir) {
        return new LeaderEpochCheckpointFile(dir.resolve(FILE_NAME));
    }

    public Path file() {
        return file;
    }

    /** The file's text for {@code entries}; exposed so tests can compare it byte for byte. */
    public static String format(List<EpochEntry> entries) {
        StringBuilder text = new StringBuilder(16 + 24 * entries.size());
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (EpochEntry e : entries) {
            text.append(e.epoch()).append(' ').append(e.startOffset()).append('\n');
        }
        return text.toString();
    }

    @Override
    public void write(List<EpochEntry> entries) {
        try {
            AtomicFile.write(file, format(entries).getBytes(StandardCharsets.UTF_8), true);
            AtomicFile.forceDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + file, e);
        }
    }

    @Override
    public List<EpochEntry> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        return parse(lines, file.toString());
    }

    /** Parses the file's lines; {@code source} names the file in errors. */
    static List<EpochEntry> parse(List<String> lines, String source) {
        if (lines.isEmpty()) {
            throw new CheckpointFormatException("empty file, expected the format version " + VERSION, source, 1, "");
        }
        int version = parseInt(lines.get(0), "format version", source, 1);
        if (version != VERSION) {
            throw new CheckpointFormatException(
                    "unsupported format version, expected " + VERSION, source, 1, lines.get(0));
        }
        if (lines.size() < 2) {
            throw new CheckpointFormatException("missing the number of entries", source, 2, "");
        }
        int count = parseInt(lines.get(1), "number of entries", source, 2);
        if (count < 0) {
            throw new CheckpointFormatException("negative number of entries", source, 2, lines.get(1));
        }
        List<EpochEntry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int lineNo = 3 + i;
            if (2 + i >= lines.size()) {
                throw new CheckpointFormatException(
                        "file ends after " + i + " of " + count + " entries", source, lineNo, "");
            }
            entries.add(parseEntry(lines.get(2 + i), source, lineNo));
        }
        for (int i = 2 + count; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                throw new CheckpointFormatException(
                        "more lines than the " + count + " entries announced", source, i + 1, lines.get(i));
            }
        }
        return List.copyOf(entries);
    }

    private static EpochEntry parseEntry(String line, String source, int lineNo) {
        String[] fields = line.trim().split("\\s+");
        if (fields.length != 2) {
            throw new CheckpointFormatException("expected 'epoch startOffset'", source, lineNo, line);
        }
        int epoch;
        long startOffset;
        try {
            epoch = Integer.parseInt(fields[0]);
            startOffset = Long.parseLong(fields[1]);
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException("expected 'epoch startOffset' as two integers", source, lineNo, line);
        }
        if (epoch < 0 || startOffset < 0) {
            throw new CheckpointFormatException("negative epoch or start offset", source, lineNo, line);
        }
        return new EpochEntry(epoch, startOffset);
    }

    private static int parseInt(String text, String what, String source, int lineNo) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new CheckpointFormatException("expected the " + what + " as an integer", source, lineNo, text);
        }
    }
}
