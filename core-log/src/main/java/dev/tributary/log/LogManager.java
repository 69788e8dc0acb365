package dev.tributary.log;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The logs of one data directory: one {@link Log} per {@code <topic>-<partition>} subdirectory.
 *
 * <p>The file {@value #CLEAN_SHUTDOWN_FILE} marks a clean shutdown. {@link #open} reads and removes it (so a
 * crash from then on is detected): with the marker, indexes are trusted after a sanity check; without it, every
 * log re-validates its batches from its recovery point. {@link #close()} flushes every log and writes it back.
 *
 * <p>Thread-safe. Core-log runs no threads: the broker's scheduler calls {@link Log#retention()} and
 * {@link Log#flushIfDue()} on {@link #all()}.
 */
public final class LogManager implements Closeable {
    /** Written on clean shutdown; a version line then the shutdown time. */
    public static final String CLEAN_SHUTDOWN_FILE = ".tributary_cleanshutdown";

    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);

    private final Path dataDir;
    private final LogConfig defaults;
    private final Clock clock;
    private final ConcurrentMap<String, Log> logs = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Opened opened;

    /** What {@link #open} found: the state the data directory was left in. */
    public enum Opened {
        /** No clean-shutdown marker and no partition logs: nothing to recover, not a crash. */
        NEW_DATA_DIR("new data dir"),
        CLEAN_SHUTDOWN("clean shutdown"),
        /** No marker but logs exist: they were re-validated from their recovery points. */
        UNCLEAN_SHUTDOWN("unclean shutdown");

        private final String description;

        Opened(String description) {
            this.description = description;
        }

        static Opened of(boolean cleanShutdownMarker, int logCount) {
            if (cleanShutdownMarker) {
                return CLEAN_SHUTDOWN;
            }
            return logCount == 0 ? NEW_DATA_DIR : UNCLEAN_SHUTDOWN;
        }
    }

    private LogManager(Path dataDir, LogConfig defaults, Clock clock) {
        this.dataDir = dataDir;
        this.defaults = defaults;
        this.clock = clock;
    }

    /** Opens the data directory (creating it if needed), loading and recovering every partition log in it. */
    public static LogManager open(Path dataDir, LogConfig defaults, Clock clock) {
        LogManager m = new LogManager(dataDir, defaults, clock);
        try {
            Files.createDirectories(dataDir);
            Path marker = dataDir.resolve(CLEAN_SHUTDOWN_FILE);
            boolean clean = Files.exists(marker);
            Files.deleteIfExists(marker);
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(dataDir, Files::isDirectory)) {
                for (Path d : dirs) {
                    String dn = d.getFileName().toString();
                    if (!isPartitionDirName(dn)) {
                        continue;
                    }
                    Log log = Log.open(d, defaults, clock, clean);
                    m.logs.put(dn, log);
                }
            }
            m.opened = Opened.of(clean, m.logs.size());
            LOG.info("opened {} logs in {} ({})", m.logs.size(), dataDir, m.opened.description);
        } catch (IOException e) {
            m.close();
            throw new UncheckedIOException("opening data dir " + dataDir, e);
        }
        return m;
    }

    /** @return what {@link #open} found in the data directory (also in its log line) */
    public Opened opened() {
        return opened;
    }

    static boolean isPartitionDirName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            return false;
        }
        for (int i = dash + 1; i < name.length(); i++) {
            if (!Character.isDigit(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String key(String topic, int partition) {
        return topic + "-" + partition;
    }

    public Path dataDir() {
        return dataDir;
    }

    public LogConfig defaults() {
        return defaults;
    }

    /** The existing log (its configuration unchanged: use {@link Log#updateConfig}) or a new one with {@code config}. */
    public Log getOrCreate(String topic, int partition, LogConfig config) {
        ensureOpen();
        if (topic.isEmpty() || topic.contains("/") || topic.contains("\\") || topic.equals(".") || topic.equals("..")) {
            throw new IllegalArgumentException("invalid topic name '" + topic + "'");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("invalid partition " + partition + " for topic " + topic);
        }
        return logs.computeIfAbsent(key(topic, partition), k -> Log.open(dataDir.resolve(k), config, clock, true));
    }

    public Optional<Log> get(String topic, int partition) {
        return Optional.ofNullable(logs.get(key(topic, partition)));
    }

    public List<Log> all() {
        return new ArrayList<>(logs.values());
    }

    /** Closes and deletes the partition's log and directory; false if there was none. */
    public boolean delete(String topic, int partition) {
        Log log = logs.remove(key(topic, partition));
        if (log == null) {
            return false;
        }
        log.delete();
        return true;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("log manager for " + dataDir + " is closed");
        }
    }

    /** Flushes and closes every log, then writes the clean-shutdown marker. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean allClean = true;
        for (Log log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                allClean = false;
                LOG.error("closing {} failed", log.name(), e);
            }
        }
        logs.clear();
        if (allClean && Files.isDirectory(dataDir)) {
            try {
                Files.writeString(
                        dataDir.resolve(CLEAN_SHUTDOWN_FILE), "0\n" + clock.millis() + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                LOG.error("writing clean-shutdown marker in {}", dataDir, e);
            }
        }
    }
}
