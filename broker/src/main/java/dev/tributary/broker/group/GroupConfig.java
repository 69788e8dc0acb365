package dev.tributary.broker.group;

import dev.tributary.broker.config.BrokerConfig;

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
public record GroupConfig(
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int initialRebalanceDelayMs,
        int maxGroupSize,
        int offsetMetadataMaxBytes,
        long offsetsRetentionMs) {

    public static GroupConfig defaults() {
        return new GroupConfig(6_000, 1_800_000, 3_000, Integer.MAX_VALUE, 4096, 7L * 24 * 60 * 60 * 1000);
    }

    /** Reads the keys above from broker settings; absent keys keep their defaults, an int key beyond int is refused. */
    public static GroupConfig from(BrokerConfig config) {
        GroupConfig d = defaults();
        int max = Integer.MAX_VALUE;
        return new GroupConfig(
                config.getInt(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS, d.minSessionTimeoutMs, 0, max),
                config.getInt(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, d.maxSessionTimeoutMs, 0, max),
                config.getInt(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS, d.initialRebalanceDelayMs, 0, max),
                config.getInt(BrokerConfig.GROUP_MAX_SIZE, d.maxGroupSize, 1, max),
                config.getInt(BrokerConfig.OFFSET_METADATA_MAX_BYTES, d.offsetMetadataMaxBytes, 0, max),
                config.getLong(
                                BrokerConfig.OFFSETS_RETENTION_MINUTES,
                                d.offsetsRetentionMs / 60_000L,
                                1,
                                Long.MAX_VALUE / 60_000L)
                        * 60_000L);
    }
}
