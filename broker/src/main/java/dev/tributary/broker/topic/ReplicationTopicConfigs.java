package dev.tributary.broker.topic;

import dev.tributary.broker.errors.InvalidConfigException;
import dev.tributary.broker.replication.ThrottledReplicas;
import java.util.List;
import java.util.Map;

/**
 * The topic configs of replication, which the broker owns beside the log's own ({@code LogConfig.KEYS}):
 * {@code min.insync.replicas} (the ISR size {@code acks=all} needs; the broker's {@code min.insync.replicas}
 * unless a topic sets it), {@code unclean.leader.election.enable} (default false) and the replication throttle's
 * {@code leader.replication.throttled.replicas} and {@code follower.replication.throttled.replicas}. Kafka's names and value
 * rules, so {@code kafka-configs} and the Admin client set them as on Kafka. No I/O.
 */
public final class ReplicationTopicConfigs {
    public static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    /** Every key, in the order DescribeConfigs lists them. */
    public static final List<String> KEYS = List.of(
            MIN_INSYNC_REPLICAS,
            UNCLEAN_LEADER_ELECTION_ENABLE,
            ThrottledReplicas.LEADER_KEY,
            ThrottledReplicas.FOLLOWER_KEY);

    private ReplicationTopicConfigs() {}

    public static boolean isKey(String key) {
        return KEYS.contains(key);
    }

    /** Checks the value of every replication key in {@code configs}; other keys are left to their owners. */
    public static void validate(Map<String, String> configs) {
        for (Map.Entry<String, String> e : configs.entrySet()) {
            validate(e.getKey(), e.getValue());
        }
    }

    /**
     * @throws InvalidConfigException naming the key and the value when {@code value} is not one {@code key} takes
     */
    public static void validate(String key, String value) {
        if (key.equals(MIN_INSYNC_REPLICAS)) {
            int n;
            try {
                n = Integer.parseInt(value == null ? "" : value.trim());
            } catch (NumberFormatException e) {
                throw new InvalidConfigException(key, value, "not a 32-bit integer");
            }
            if (n < 1) {
                throw new InvalidConfigException(key, value, "must be at least 1");
            }
        } else if (key.equals(ThrottledReplicas.LEADER_KEY) || key.equals(ThrottledReplicas.FOLLOWER_KEY)) {
            ThrottledReplicas.parse(key, value);
        } else if (key.equals(UNCLEAN_LEADER_ELECTION_ENABLE)) {
            String v = value == null ? "" : value.trim();
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new InvalidConfigException(key, value, "must be true or false");
            }
        }
    }
}
