package dev.tributary.spark;

import dev.tributary.spark.offsets.OffsetJson;
import dev.tributary.spark.offsets.OffsetSpec;
import dev.tributary.spark.offsets.OffsetSpecResolver.NoMatchStrategy;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.network.util.JavaUtils;

/**
 * The typed form of a query's options. Names follow spark-sql-kafka's so that existing jobs only change
 * the format name. Client settings pass through with either prefix: {@code tributary.bootstrap.servers}
 * or {@code kafka.bootstrap.servers} both set the clients' {@code bootstrap.servers}.
 *
 * <p>Immutable and serializable: readers and writers on executors get a copy.
 */
public final class TributaryOptions implements Serializable {
    public static final String SUBSCRIBE = "subscribe";
    public static final String SUBSCRIBE_PATTERN = "subscribePattern";
    public static final String ASSIGN = "assign";
    public static final String STARTING_OFFSETS = "startingOffsets";
    public static final String ENDING_OFFSETS = "endingOffsets";
    public static final String STARTING_TIMESTAMP = "startingTimestamp";
    public static final String ENDING_TIMESTAMP = "endingTimestamp";
    public static final String STARTING_OFFSETS_BY_TIMESTAMP = "startingOffsetsByTimestamp";
    public static final String ENDING_OFFSETS_BY_TIMESTAMP = "endingOffsetsByTimestamp";
    public static final String STARTING_BY_TIMESTAMP_STRATEGY = "startingOffsetsByTimestampStrategy";
    public static final String FAIL_ON_DATA_LOSS = "failOnDataLoss";
    public static final String INCLUDE_HEADERS = "includeHeaders";
    public static final String MIN_PARTITIONS = "minPartitions";
    public static final String MAX_RECORDS_PER_PARTITION = "maxRecordsPerPartition";
    public static final String MAX_OFFSETS_PER_TRIGGER = "maxOffsetsPerTrigger";
    public static final String MIN_OFFSETS_PER_TRIGGER = "minOffsetsPerTrigger";
    public static final String MAX_TRIGGER_DELAY = "maxTriggerDelay";
    public static final String MAX_BYTES_PER_TRIGGER = "maxBytesPerTrigger";
    public static final String POLL_TIMEOUT_MS = "pollTimeoutMs";
    public static final String TIMESTAMP_PUSH_DOWN = "timestampPushDown";
    public static final String TOPIC = "topic";
    public static final String DELIVERY_GUARANTEE = "deliveryGuarantee";

    private static final List<String> CLIENT_PREFIXES = List.of("tributary.", "kafka.");

    private final Map<String, String> raw; // case-insensitive lookup by lower-cased key
    private final Map<String, String> clientParams;

    public TributaryOptions(Map<String, String> options) {
        Map<String, String> lower = new TreeMap<>();
        Map<String, String> client = new HashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            lower.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
            for (String prefix : CLIENT_PREFIXES) {
                if (e.getKey().toLowerCase(Locale.ROOT).startsWith(prefix)) {
                    client.put(e.getKey().substring(prefix.length()), e.getValue());
                }
            }
        }
        this.raw = lower;
        this.clientParams = client;
    }

    public String get(String key) {
        return raw.get(key.toLowerCase(Locale.ROOT));
    }

    /** Client properties (bootstrap.servers and anything else given with a tributary./kafka. prefix). */
    public Map<String, String> clientParams() {
        return clientParams;
    }

    public String bootstrapServers() {
        String servers = clientParams.get("bootstrap.servers");
        if (servers == null || servers.isBlank()) {
            throw TributaryErrors.invalidOption(
                    "tributary.bootstrap.servers", null, "required (kafka.bootstrap.servers is accepted too)");
        }
        return servers;
    }

    public Subscription subscription() {
        List<String> given = new ArrayList<>();
        for (String k : List.of(SUBSCRIBE, SUBSCRIBE_PATTERN, ASSIGN)) {
            if (get(k) != null) {
                given.add(k);
            }
        }
        if (given.size() != 1) {
            throw TributaryErrors.invalidOption(
                    String.join("/", List.of(SUBSCRIBE, SUBSCRIBE_PATTERN, ASSIGN)),
                    null,
                    "exactly one must be given, got " + given);
        }
        String v = get(given.get(0)).trim();
        switch (given.get(0)) {
            case SUBSCRIBE -> {
                List<String> topics = Arrays.stream(v.split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
                if (topics.isEmpty()) {
                    throw TributaryErrors.invalidOption(SUBSCRIBE, v, "no topic names");
                }
                return new Subscription.Topics(topics);
            }
            case SUBSCRIBE_PATTERN -> {
                try {
                    java.util.regex.Pattern.compile(v);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw TributaryErrors.invalidOption(SUBSCRIBE_PATTERN, v, e.getDescription());
                }
                return new Subscription.Pattern(v);
            }
            default -> {
                try {
                    return new Subscription.Assign(OffsetJson.readPartitions(v));
                } catch (IllegalArgumentException e) {
                    throw TributaryErrors.invalidOption(ASSIGN, v, e.getMessage());
                }
            }
        }
    }

    /** Precedence as in spark-sql-kafka: per-partition timestamps, then a global timestamp, then offsets. */
    public OffsetSpec startingSpec(OffsetSpec dflt) {
        return spec(STARTING_OFFSETS_BY_TIMESTAMP, STARTING_TIMESTAMP, STARTING_OFFSETS, dflt);
    }

    public OffsetSpec endingSpec(OffsetSpec dflt) {
        return spec(ENDING_OFFSETS_BY_TIMESTAMP, ENDING_TIMESTAMP, ENDING_OFFSETS, dflt);
    }

    private OffsetSpec spec(String byTsKey, String tsKey, String offsetsKey, OffsetSpec dflt) {
        if (get(byTsKey) != null) {
            try {
                return new OffsetSpec.PartitionTimestamps(OffsetJson.read(get(byTsKey)));
            } catch (IllegalArgumentException e) {
                throw TributaryErrors.invalidOption(byTsKey, get(byTsKey), e.getMessage());
            }
        }
        if (get(tsKey) != null) {
            return new OffsetSpec.GlobalTimestamp(longOption(tsKey, 0, 0));
        }
        String v = get(offsetsKey);
        if (v == null) {
            return dflt;
        }
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "earliest":
                return new OffsetSpec.Earliest();
            case "latest":
                return new OffsetSpec.Latest();
            default:
                try {
                    return new OffsetSpec.Specific(OffsetJson.read(v));
                } catch (IllegalArgumentException e) {
                    throw TributaryErrors.invalidOption(
                            offsetsKey,
                            v,
                            "expected earliest, latest or " + "{\"topic\":{\"partition\":offset}}: " + e.getMessage());
                }
        }
    }

    public NoMatchStrategy startingNoMatchStrategy() {
        String v = get(STARTING_BY_TIMESTAMP_STRATEGY);
        if (v == null || v.equalsIgnoreCase("error")) {
            return NoMatchStrategy.ERROR;
        }
        if (v.equalsIgnoreCase("latest")) {
            return NoMatchStrategy.LATEST;
        }
        throw TributaryErrors.invalidOption(STARTING_BY_TIMESTAMP_STRATEGY, v, "expected error or latest");
    }

    public boolean failOnDataLoss() {
        return boolOption(FAIL_ON_DATA_LOSS, true);
    }

    public boolean includeHeaders() {
        return boolOption(INCLUDE_HEADERS, false);
    }

    public int minPartitions() {
        return (int) longOption(MIN_PARTITIONS, 0, 1);
    }

    public long maxRecordsPerPartition() {
        return longOption(MAX_RECORDS_PER_PARTITION, 0, 1);
    }

    public long maxOffsetsPerTrigger() {
        return longOption(MAX_OFFSETS_PER_TRIGGER, 0, 1);
    }

    public long minOffsetsPerTrigger() {
        return longOption(MIN_OFFSETS_PER_TRIGGER, 0, 1);
    }

    public long maxBytesPerTrigger() {
        return longOption(MAX_BYTES_PER_TRIGGER, 0, 1);
    }

    /** Default 15 minutes, as in spark-sql-kafka. */
    public long maxTriggerDelayMs() {
        String v = get(MAX_TRIGGER_DELAY);
        if (v == null) {
            return 15 * 60 * 1000L;
        }
        try {
            return JavaUtils.timeStringAsMs(v);
        } catch (RuntimeException e) {
            throw TributaryErrors.invalidOption(MAX_TRIGGER_DELAY, v, "expected a duration such as 30s or 5m");
        }
    }

    public long pollTimeoutMs() {
        return longOption(POLL_TIMEOUT_MS, 120_000, 1);
    }

    /** "both" (default) turns timestamp filters into start and end offsets, "lower" only into start offsets. */
    public boolean timestampUpperPushDown() {
        String v = get(TIMESTAMP_PUSH_DOWN);
        if (v == null || v.equalsIgnoreCase("both")) {
            return true;
        }
        if (v.equalsIgnoreCase("lower")) {
            return false;
        }
        throw TributaryErrors.invalidOption(TIMESTAMP_PUSH_DOWN, v, "expected both or lower");
    }

    public String topic() {
        return get(TOPIC);
    }

    private boolean boolOption(String key, boolean dflt) {
        String v = get(key);
        if (v == null) {
            return dflt;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw TributaryErrors.invalidOption(key, v, "expected true or false");
    }

    private long longOption(String key, long dflt, long min) {
        String v = get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < min) {
                throw TributaryErrors.invalidOption(key, v, "must be >= " + min);
            }
            return n;
        } catch (NumberFormatException e) {
            throw TributaryErrors.invalidOption(key, v, "not a whole number");
        }
    }
}
