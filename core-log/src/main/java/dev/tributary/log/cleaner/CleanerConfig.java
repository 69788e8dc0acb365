package dev.tributary.log.cleaner;

import dev.tributary.log.ConfigException;

/**
 * Broker-wide settings of the log cleaner, with Kafka's names.
 *
 * @param enabled              {@code log.cleaner.enable} (true): without it compacted topics grow forever
 * @param threads              {@code log.cleaner.threads} (1)
 * @param dedupeBufferSize     {@code log.cleaner.dedupe.buffer.size} (128 MiB), off-heap memory for the offset
 *                             maps of all threads together; 24 bytes per key, so 128 MiB holds ~5M keys per run
 * @param ioBufferSize         {@code log.cleaner.io.buffer.size} (512 KiB), the read chunk per thread; grows to
 *                             fit a larger batch
 * @param ioMaxBytesPerSecond  {@code log.cleaner.io.max.bytes.per.second} (unlimited), bytes read plus written
 * @param loadFactor           {@code log.cleaner.io.buffer.load.factor} (0.9) of the offset map's slots
 * @param backoffMs            {@code log.cleaner.backoff.ms} (15 s), sleep when no log needs cleaning
 */
public record CleanerConfig(
        boolean enabled,
        int threads,
        long dedupeBufferSize,
        int ioBufferSize,
        double ioMaxBytesPerSecond,
        double loadFactor,
        long backoffMs) {
    public static final String ENABLE = "log.cleaner.enable";
    public static final String THREADS = "log.cleaner.threads";
    public static final String DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String IO_BUFFER_SIZE = "log.cleaner.io.buffer.size";
    public static final String IO_MAX_BYTES_PER_SECOND = "log.cleaner.io.max.bytes.per.second";
    public static final String LOAD_FACTOR = "log.cleaner.io.buffer.load.factor";
    public static final String BACKOFF_MS = "log.cleaner.backoff.ms";

    public CleanerConfig {
        if (threads < 1) {
            throw new ConfigException(THREADS, Integer.toString(threads), "must be at least 1");
        }
        if (dedupeBufferSize / threads < OffsetMap.SLOT_SIZE * 16L) {
            throw new ConfigException(
                    DEDUPE_BUFFER_SIZE, Long.toString(dedupeBufferSize), "too small for " + threads + " threads");
        }
        if (dedupeBufferSize / threads > Integer.MAX_VALUE) {
            // one direct buffer per thread; a ByteBuffer is indexed by int
            throw new ConfigException(
                    DEDUPE_BUFFER_SIZE, Long.toString(dedupeBufferSize), "more than 2 GiB per cleaner thread");
        }
        if (ioBufferSize < 1024) {
            throw new ConfigException(IO_BUFFER_SIZE, Integer.toString(ioBufferSize), "must be at least 1024");
        }
        if (!(ioMaxBytesPerSecond > 0)) {
            throw new ConfigException(
                    IO_MAX_BYTES_PER_SECOND, Double.toString(ioMaxBytesPerSecond), "must be positive");
        }
        if (!(loadFactor > 0 && loadFactor <= 0.95)) {
            throw new ConfigException(LOAD_FACTOR, Double.toString(loadFactor), "must be in (0, 0.95]");
        }
        if (backoffMs < 0) {
            throw new ConfigException(BACKOFF_MS, Long.toString(backoffMs), "must not be negative");
        }
    }

    public static CleanerConfig defaults() {
        return new CleanerConfig(true, 1, 128L * 1024 * 1024, 512 * 1024, Double.MAX_VALUE, 0.9, 15_000);
    }

    public CleanerConfig withDedupeBufferSize(long bytes) {
        return new CleanerConfig(enabled, threads, bytes, ioBufferSize, ioMaxBytesPerSecond, loadFactor, backoffMs);
    }

    public CleanerConfig withIoMaxBytesPerSecond(double bytesPerSecond) {
        return new CleanerConfig(
                enabled, threads, dedupeBufferSize, ioBufferSize, bytesPerSecond, loadFactor, backoffMs);
    }

    public CleanerConfig withBackoffMs(long ms) {
        return new CleanerConfig(enabled, threads, dedupeBufferSize, ioBufferSize, ioMaxBytesPerSecond, loadFactor, ms);
    }
}
