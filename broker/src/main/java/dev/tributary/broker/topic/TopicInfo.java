package dev.tributary.broker.topic;

import java.util.Map;
import java.util.UUID;

/**
 * What the broker knows about one topic: its id, partition count and config overrides (only the
 * keys set on the topic; defaults come from the broker config).
 */
public record TopicInfo(String name, UUID topicId, int partitions, Map<String, String> configs) {

    public TopicInfo {
        configs = Map.copyOf(configs);
    }

    public boolean isInternal() {
        return name.startsWith("__");
    }

    TopicInfo withPartitions(int count) {
        return new TopicInfo(name, topicId, count, configs);
    }

    TopicInfo withConfigs(Map<String, String> overrides) {
        return new TopicInfo(name, topicId, partitions, overrides);
    }
}
