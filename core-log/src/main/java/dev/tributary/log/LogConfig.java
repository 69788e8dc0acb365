package dev.tributary.log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable, typed configuration of one partition log, using Kafka's topic-level names so Kafka users' knowledge
 * and tools carry over. {@link #KEYS} lists every key with its default and documentation (the broker serves
 * DescribeConfigs from it). Build with {@link #defaults()}, {@link #fromMap(Map)} or
 * {@link #withOverrides(Map)}; any bad value throws {@link ConfigException} naming the key and the value.
 */
public final class LogConfig {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";

    /** How a value is parsed and checked. */
    public enum Type {
        INT,
        LONG,
        DOUBLE,
        TIMESTAMP_TYPE,
        CLEANUP_POLICY
    }

    /** One known key: its name, type, default (as Kafka prints it), lower bound and documentation. */
    public record ConfigKey(String name, Type type, String defaultValue, double min, String doc) {}

    /** Every key this class understands, in a stable order. */
    public static final List<ConfigKey> KEYS;

    static {
        List<ConfigKey> k = new ArrayList<>();
        k.add(new ConfigKey(SEGMENT_BYTES, Type.INT, "1073741824", 14, "Size at which the active segment is rolled."));
        k.add(new ConfigKey(
                SEGMENT_MS,
                Type.LONG,
                "604800000",
                1,
                "Time after which the active segment is rolled even if not full, measured from its first batch."));
        k.add(new ConfigKey(
                SEGMENT_INDEX_BYTES,
                Type.INT,
                "10485760",
                4 * 12,
                "Size preallocated for each offset and time index; a full index rolls the segment."));
        k.add(new ConfigKey(INDEX_INTERVAL_BYTES, Type.INT, "4096", 0, "Bytes of batches between two index entries."));
        k.add(
                new ConfigKey(
                        RETENTION_MS,
                        Type.LONG,
                        "604800000",
                        -1,
                        "Age, against a segment's largest timestamp, after which an inactive segment is deleted; -1 keeps forever."));
        k.add(new ConfigKey(
                RETENTION_BYTES,
                Type.LONG,
                "-1",
                -1,
                "Partition size above which the oldest inactive segments are deleted; -1 means no limit."));
        k.add(new ConfigKey(
                FLUSH_MESSAGES,
                Type.LONG,
                Long.toString(Long.MAX_VALUE),
                1,
                "Number of messages after which the log is forced to disk; the default leaves it to the OS."));
        k.add(new ConfigKey(
                FLUSH_MS,
                Type.LONG,
                Long.toString(Long.MAX_VALUE),
                0,
                "Time after which unflushed data is forced to disk; the default leaves it to the OS."));
        k.add(new ConfigKey(
                MESSAGE_TIMESTAMP_TYPE,
                Type.TIMESTAMP_TYPE,
                "CreateTime",
                0,
                "CreateTime keeps the producer's timestamps; LogAppendTime stamps batches with the broker's clock."));
        k.add(new ConfigKey(MAX_MESSAGE_BYTES, Type.INT, "1048588", 0, "Largest record batch accepted, in bytes."));
        k.add(
                new ConfigKey(
                        FILE_DELETE_DELAY_MS,
                        Type.LONG,
                        "60000",
                        0,
                        "Delay between renaming a deleted segment to .deleted and removing its files, so reads in flight finish."));
        k.add(new ConfigKey(CLEANUP_POLICY, Type.CLEANUP_POLICY, "delete", 0, "delete, compact, or compact,delete."));
        k.add(new ConfigKey(
                MIN_CLEANABLE_DIRTY_RATIO,
                Type.DOUBLE,
                "0.5",
                0,
                "Minimum ratio of dirty log to total log for the cleaner to compact it."));
        k.add(new ConfigKey(
                DELETE_RETENTION_MS, Type.LONG, "86400000", 0, "How long tombstones are kept after compaction."));
        k.add(new ConfigKey(MIN_COMPACTION_LAG_MS, Type.LONG, "0", 0, "Minimum time a record stays uncompacted."));
        k.add(new ConfigKey(
                MAX_COMPACTION_LAG_MS,
                Type.LONG,
                Long.toString(Long.MAX_VALUE),
                1,
                "Maximum time a record stays uncompacted."));
        KEYS = Collections.unmodifiableList(k);
    }

    private static final LogConfig DEFAULTS = fromMap(Map.of());

    public enum TimestampType {
        CREATE_TIME("CreateTime"),
        LOG_APPEND_TIME("LogAppendTime");

        private final String kafkaName;

        TimestampType(String kafkaName) {
            this.kafkaName = kafkaName;
        }

        public String kafkaName() {
            return kafkaName;
        }
    }

    private final Map<String, String> values; // every key, normalised
    private final int segmentBytes;
    private final long segmentMs;
    private final int segmentIndexBytes;
    private final int indexIntervalBytes;
    private final long retentionMs;
    private final long retentionBytes;
    private final long flushMessages;
    private final long flushMs;
    private final TimestampType timestampType;
    private final int maxMessageBytes;
    private final long fileDeleteDelayMs;
    private final boolean compact;
    private final boolean delete;
    private final double minCleanableDirtyRatio;
    private final long deleteRetentionMs;
    private final long minCompactionLagMs;
    private final long maxCompactionLagMs;

    private LogConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        segmentBytes = (int) parseLong(SEGMENT_BYTES);
        segmentMs = parseLong(SEGMENT_MS);
        segmentIndexBytes = (int) parseLong(SEGMENT_INDEX_BYTES);
        indexIntervalBytes = (int) parseLong(INDEX_INTERVAL_BYTES);
        retentionMs = parseLong(RETENTION_MS);
        retentionBytes = parseLong(RETENTION_BYTES);
        flushMessages = parseLong(FLUSH_MESSAGES);
        flushMs = parseLong(FLUSH_MS);
        timestampType = "LogAppendTime".equals(values.get(MESSAGE_TIMESTAMP_TYPE))
                ? TimestampType.LOG_APPEND_TIME
                : TimestampType.CREATE_TIME;
        maxMessageBytes = (int) parseLong(MAX_MESSAGE_BYTES);
        fileDeleteDelayMs = parseLong(FILE_DELETE_DELAY_MS);
        String policy = values.get(CLEANUP_POLICY);
        compact = policy.contains("compact");
        delete = policy.contains("delete");
        minCleanableDirtyRatio = Double.parseDouble(values.get(MIN_CLEANABLE_DIRTY_RATIO));
        deleteRetentionMs = parseLong(DELETE_RETENTION_MS);
        minCompactionLagMs = parseLong(MIN_COMPACTION_LAG_MS);
        maxCompactionLagMs = parseLong(MAX_COMPACTION_LAG_MS);
    }

    private long parseLong(String key) {
        return Long.parseLong(values.get(key));
    }

    /** Kafka's defaults for every key. */
    public static LogConfig defaults() {
        return DEFAULTS;
    }

    /** Defaults overridden by {@code props}; unknown keys are ignored (the broker may pass its own). */
    public static LogConfig fromMap(Map<String, String> props) {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigKey key : KEYS) {
            values.put(key.name(), key.defaultValue());
        }
        return merge(values, props);
    }

    /** This configuration with {@code overrides} applied. */
    public LogConfig withOverrides(Map<String, String> overrides) {
        return merge(new LinkedHashMap<>(values), overrides);
    }

    private static LogConfig merge(Map<String, String> values, Map<String, String> overrides) {
        for (ConfigKey key : KEYS) {
            String raw = overrides.get(key.name());
            if (raw != null) {
                values.put(key.name(), validate(key, raw));
            }
        }
        return new LogConfig(values);
    }

    private static String validate(ConfigKey key, String raw) {
        String v = raw.trim();
        switch (key.type()) {
            case INT, LONG -> {
                long n;
                try {
                    n = Long.parseLong(v);
                } catch (NumberFormatException e) {
                    throw new ConfigException(
                            key.name(), raw, "not a " + (key.type() == Type.INT ? "32" : "64") + "-bit integer");
                }
                if (key.type() == Type.INT && (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE)) {
                    throw new ConfigException(key.name(), raw, "does not fit in a 32-bit integer");
                }
                if (n < key.min()) {
                    throw new ConfigException(key.name(), raw, "must be at least " + (long) key.min());
                }
                return Long.toString(n);
            }
            case DOUBLE -> {
                double d;
                try {
                    d = Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new ConfigException(key.name(), raw, "not a number");
                }
                if (!(d >= 0 && d <= 1)) {
                    throw new ConfigException(key.name(), raw, "must be between 0 and 1");
                }
                return Double.toString(d);
            }
            case TIMESTAMP_TYPE -> {
                if (v.equals("CreateTime") || v.equals("LogAppendTime")) {
                    return v;
                }
                throw new ConfigException(key.name(), raw, "must be CreateTime or LogAppendTime");
            }
            case CLEANUP_POLICY -> {
                String[] parts = v.toLowerCase(Locale.ROOT).split("\\s*,\\s*");
                boolean c = false;
                boolean d = false;
                for (String p : parts) {
                    if (p.equals("compact")) {
                        c = true;
                    } else if (p.equals("delete")) {
                        d = true;
                    } else {
                        throw new ConfigException(key.name(), raw, "must be delete, compact or compact,delete");
                    }
                }
                return c && d ? "compact,delete" : c ? "compact" : "delete";
            }
            default -> throw new IllegalStateException(key.type().toString());
        }
    }

    /** Every key with its effective value, as strings in Kafka's notation. */
    public Map<String, String> toMap() {
        return values;
    }

    public int segmentBytes() {
        return segmentBytes;
    }

    public long segmentMs() {
        return segmentMs;
    }

    public int segmentIndexBytes() {
        return segmentIndexBytes;
    }

    public int indexIntervalBytes() {
        return indexIntervalBytes;
    }

    public long retentionMs() {
        return retentionMs;
    }

    public long retentionBytes() {
        return retentionBytes;
    }

    public long flushMessages() {
        return flushMessages;
    }

    public long flushMs() {
        return flushMs;
    }

    public TimestampType timestampType() {
        return timestampType;
    }

    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    public long fileDeleteDelayMs() {
        return fileDeleteDelayMs;
    }

    public String cleanupPolicy() {
        return values.get(CLEANUP_POLICY);
    }

    public boolean compact() {
        return compact;
    }

    /** True when time/size retention applies (cleanup.policy contains delete). */
    public boolean delete() {
        return delete;
    }

    public double minCleanableDirtyRatio() {
        return minCleanableDirtyRatio;
    }

    public long deleteRetentionMs() {
        return deleteRetentionMs;
    }

    public long minCompactionLagMs() {
        return minCompactionLagMs;
    }

    public long maxCompactionLagMs() {
        return maxCompactionLagMs;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values);
    }

    @Override
    public String toString() {
        return "LogConfig" + values;
    }
}
