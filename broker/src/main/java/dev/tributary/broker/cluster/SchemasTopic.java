package dev.tributary.broker.cluster;

import dev.tributary.broker.config.BrokerConfig;
import dev.tributary.broker.topic.TopicNames;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a cluster creates the schema registry's store topic {@code _schemas} ({@link TopicNames#SCHEMAS_TOPIC}):
 * one partition, {@code cleanup.policy=compact}, replicated on {@code min(3, nodes of the cluster)} brokers, or
 * on {@code default.replication.factor} brokers when that is set. It is an ordinary cluster topic created
 * through the quorum; the registry of each broker asks for it with CreateTopics and leaves the replication
 * factor to the broker. Whatever a request leaves out is filled in here, whoever sends it (a producer's
 * auto-creation included), so the topic never ends up with Kafka's defaults for a plain topic.
 *
 * <p>Three is Confluent's {@code kafkastore.topic.replication.factor}. The nodes of the cluster are its
 * quorum voters (every node is one), not the brokers registered so far: when the first node starts alone, the
 * creation is refused ({@code INVALID_REPLICATION_FACTOR}) and the registries wait until enough brokers have
 * registered, rather than creating a topic on one broker that would lose the schemas with it.
 */
public final class SchemasTopic {
    /** Confluent's default replication factor for {@code _schemas}. */
    static final int PREFERRED_REPLICATION_FACTOR = 3;

    private SchemasTopic() {}

    /** The replication factor {@code _schemas} gets when a request names none. */
    public static int replicationFactor(BrokerConfig config) {
        if (config.isSet(BrokerConfig.DEFAULT_REPLICATION_FACTOR)) {
            return config.defaultReplicationFactor();
        }
        return Math.min(
                PREFERRED_REPLICATION_FACTOR, config.quorumVoters().voters().size());
    }

    /** The partition count: one unless a request names another ({@code -1}: none named). */
    static int partitions(int requested) {
        return requested == -1 ? 1 : requested;
    }

    /** The topic's configs: the request's, with {@code cleanup.policy=compact} unless it names a policy. */
    static Map<String, String> configs(Map<String, String> requested) {
        Map<String, String> configs = new LinkedHashMap<>(requested);
        configs.putIfAbsent("cleanup.policy", "compact");
        return configs;
    }
}
