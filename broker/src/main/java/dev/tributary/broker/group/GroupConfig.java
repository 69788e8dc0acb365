package dev.tributary.broker.group;

import java.util.Map;

/**
 * Settings of the group coordinator, with Kafka's broker config names.
 *
 * @param minSessionTimeoutMs     {@code group.min.session.timeout.ms} (6 s)
 * @param maxSessionTimeoutMs     {@code group.max.session.timeout.ms} (30 min)
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms} (3 s): how long the first
 *                                rebalance of an empty group waits for more members, so a group of N
 *                                starting together does not rebalance N times
 * @param maxGroupSize            {@code group.max.size}
 * @param offsetMetadataMaxBytes  {@code offset.metadata.max.bytes} (4096)
 * @param offsetsRetentionMs      {@code offsets.retention.minutes} (7 days), in ms: offsets of an empty
 *                                group older than this are removed
 */
public record GroupConfig(int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
                          int maxGroupSize, int offsetMetadataMaxBytes, long offsetsRetentionMs) {

    public static GroupConfig defaults() {
        return new GroupConfig(6_000, 1_800_000, 3_000, Integer.MAX_VALUE, 4096, 7L * 24 * 60 * 60 * 1000);
    }

    /** Reads the keys above from broker settings; absent keys keep their defaults. */
    public static GroupConfig fromMap(Map<String, String> settings) {
        GroupConfig d = defaults();
        return new GroupConfig(
                intValue(settings, "group.min.session.timeout.ms", d.minSessionTimeoutMs),
                intValue(settings, "group.max.session.timeout.ms", d.maxSessionTimeoutMs),
                intValue(settings, "group.initial.rebalance.delay.ms", d.initialRebalanceDelayMs),
                intValue(settings, "group.max.size", d.maxGroupSize),
                intValue(settings, "offset.metadata.max.bytes", d.offsetMetadataMaxBytes),
                settings.containsKey("offsets.retention.minutes")
                        ? parse("offsets.retention.minutes", settings.get("offsets.retention.minutes")) * 60_000L
                        : d.offsetsRetentionMs);
    }

    private static int intValue(Map<String, String> settings, String key, int fallback) {
        String v = settings.get(key);
        return v == null ? fallback : (int) parse(key, v);
    }

    private static long parse(String key, String value) {
        try {
            long v = Long.parseLong(value.trim());
            if (v < 0) {
                throw new IllegalArgumentException("Invalid value " + value + " for " + key + ": must be >= 0");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid value " + value + " for " + key + ": not a number", e);
        }
    }
}
