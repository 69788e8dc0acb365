package dev.tributary.broker.topic;

import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.replication.ThrottledReplicas;
import dev.tributary.log.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Lists topic and broker configs with their effective values and sources, for DescribeConfigs and
 * CreateTopics responses. No I/O.
 */
public final class ConfigDescriber {
    private final BrokerConfig staticConfig;
    private final TopicManager topics;

    public ConfigDescriber(BrokerConfig staticConfig, TopicManager topics) {
        this.staticConfig = staticConfig;
        this.topics = topics;
    }

    public List<ConfigEntry> describeTopic(TopicInfo t) {
        LogConfig effective = topics.logConfig(t);
        Map<String, String> values = effective.toMap();
        Map<String, String> dynamic = topics.brokerDynamicConfigs();
        Map<String, String> staticDefaults = staticConfig.topicDefaults();
        List<ConfigEntry> out = new ArrayList<>();
        for (LogConfig.ConfigKey key : LogConfig.KEYS) {
            String name = key.name();
            ConfigEntry.Source source;
            if (t.configs().containsKey(name)) {
                source = ConfigEntry.Source.TOPIC_OVERRIDE;
            } else if (dynamicSynonymSet(dynamic, name)) {
                source = ConfigEntry.Source.DYNAMIC_BROKER_DEFAULT;
            } else if (staticDefaults.containsKey(name)) {
                source = ConfigEntry.Source.STATIC_BROKER;
            } else {
                source = ConfigEntry.Source.DEFAULT;
            }
            out.add(new ConfigEntry(name, values.get(name), source, false, type(key.type()), key.doc()));
        }
        describeReplication(t.configs(), out);
        return out;
    }

    private void describeReplication(Map<String, String> overrides, List<ConfigEntry> out) {
        String min = ReplicationTopicConfigs.MIN_INSYNC_REPLICAS;
        out.add(new ConfigEntry(
                min,
                overrides.getOrDefault(min, Integer.toString(staticConfig.minInsyncReplicas())),
                overrides.containsKey(min)
                        ? ConfigEntry.Source.TOPIC_OVERRIDE
                        : staticConfig.isSet(BrokerConfig.MIN_INSYNC_REPLICAS)
                                ? ConfigEntry.Source.STATIC_BROKER
                                : ConfigEntry.Source.DEFAULT,
                false,
                ConfigEntry.Type.INT,
                "The fewest in-sync replicas an acks=all write needs"));
        String unclean = ReplicationTopicConfigs.UNCLEAN_LEADER_ELECTION_ENABLE;
        out.add(new ConfigEntry(
                unclean,
                overrides.getOrDefault(unclean, "false"),
                overrides.containsKey(unclean) ? ConfigEntry.Source.TOPIC_OVERRIDE : ConfigEntry.Source.DEFAULT,
                false,
                ConfigEntry.Type.BOOLEAN,
                "Whether a replica outside the ISR may become leader when no ISR member is left"));
        for (String key : List.of(ThrottledReplicas.LEADER_KEY, ThrottledReplicas.FOLLOWER_KEY)) {
            out.add(new ConfigEntry(
                    key,
                    overrides.getOrDefault(key, ""),
                    overrides.containsKey(key) ? ConfigEntry.Source.TOPIC_OVERRIDE : ConfigEntry.Source.DEFAULT,
                    false,
                    ConfigEntry.Type.LIST,
                    "Replicas (partition:brokerId, or *) whose replication the broker's throttled rate limits"));
        }
    }

    public List<ConfigEntry> describeBroker() {
        Map<String, String> dynamic = topics.brokerDynamicConfigs();
        Map<String, String> topicDefaults = topics.topicDefaults().toMap();
        List<ConfigEntry> out = new ArrayList<>();
        for (String name : BrokerConfig.describedKeys()) {
            String topicKey = BrokerConfig.TOPIC_SYNONYMS.get(name);
            boolean dynamicKey = topicKey != null || BrokerConfig.DYNAMIC_KEYS.contains(name);
            String value;
            ConfigEntry.Source source;
            if (dynamic.containsKey(name)) {
                value = dynamic.get(name);
                source = ConfigEntry.Source.DYNAMIC_BROKER_DEFAULT;
            } else if (staticConfig.isSet(name)) {
                value = staticConfig.get(name);
                source = ConfigEntry.Source.STATIC_BROKER;
            } else {
                value = topicKey != null ? topicDefaults.get(topicKey) : staticConfig.get(name);
                if (value == null && name.endsWith(".replication.throttled.rate")) {
                    value = Long.toString(Long.MAX_VALUE); // unlimited
                }
                source = ConfigEntry.Source.DEFAULT;
            }
            out.add(new ConfigEntry(name, value, source, !dynamicKey, brokerType(name, topicKey), null));
        }
        return out;
    }

    private static boolean dynamicSynonymSet(Map<String, String> dynamic, String topicKey) {
        for (Map.Entry<String, String> e : BrokerConfig.TOPIC_SYNONYMS.entrySet()) {
            if (e.getValue().equals(topicKey) && dynamic.containsKey(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    private static ConfigEntry.Type brokerType(String name, String topicKey) {
        if (topicKey != null) {
            for (LogConfig.ConfigKey k : LogConfig.KEYS) {
                if (k.name().equals(topicKey)) {
                    return type(k.type());
                }
            }
        }
        return switch (name) {
            case BrokerConfig.AUTO_CREATE_TOPICS_ENABLE, BrokerConfig.DELETE_TOPIC_ENABLE -> ConfigEntry.Type.BOOLEAN;
            case BrokerConfig.LISTENERS, BrokerConfig.ADVERTISED_LISTENERS, BrokerConfig.LOG_DIRS ->
                ConfigEntry.Type.STRING;
            case BrokerConfig.LOG_RETENTION_CHECK_INTERVAL_MS,
                    BrokerConfig.LOG_FLUSH_SCHEDULER_INTERVAL_MS,
                    BrokerConfig.LEADER_REPLICATION_THROTTLED_RATE,
                    BrokerConfig.FOLLOWER_REPLICATION_THROTTLED_RATE -> ConfigEntry.Type.LONG;
            default -> ConfigEntry.Type.INT;
        };
    }

    private static ConfigEntry.Type type(LogConfig.Type t) {
        return switch (t) {
            case INT -> ConfigEntry.Type.INT;
            case LONG -> ConfigEntry.Type.LONG;
            case DOUBLE -> ConfigEntry.Type.DOUBLE;
            case TIMESTAMP_TYPE -> ConfigEntry.Type.STRING;
            case CLEANUP_POLICY -> ConfigEntry.Type.LIST;
        };
    }
}
