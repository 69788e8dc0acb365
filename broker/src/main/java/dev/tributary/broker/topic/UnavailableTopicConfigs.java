package dev.tributary.broker.topic;

import dev.tributary.broker.errors.InvalidConfigException;
import java.util.Map;
import java.util.Set;

/**
 * Topic configs of Kafka features this broker does not have. They are refused, whatever their value,
 * rather than stored and ignored: a client that asks for tiered storage must not believe it got it.
 * No I/O; called by CreateTopics and by config changes of a topic.
 */
public final class UnavailableTopicConfigs {

    /** Kafka's tiered-storage topic configs ({@code TopicConfig}'s remote.* and local.retention.*). */
    static final Set<String> TIERED_STORAGE = Set.of(
            "remote.storage.enable",
            "local.retention.ms",
            "local.retention.bytes",
            "remote.log.copy.disable",
            "remote.log.delete.on.disable");

    private UnavailableTopicConfigs() {}

    /**
     * @throws InvalidConfigException naming the first key of {@code configs} that asks for a feature this
     *     broker does not have, and why
     */
    public static void refuse(Map<String, String> configs) {
        for (Map.Entry<String, String> e : configs.entrySet()) {
            refuse(e.getKey(), e.getValue());
        }
    }

    /** As {@link #refuse(Map)}, for one key. */
    public static void refuse(String key, String value) {
        if (TIERED_STORAGE.contains(key)) {
            throw new InvalidConfigException(
                    key,
                    value,
                    "tiered storage is not available on this broker; "
                            + "partitions are kept on local disk only, so the tiered-storage topic configs "
                            + "(remote.storage.enable, local.retention.*, remote.log.*) cannot be set");
        }
    }
}
