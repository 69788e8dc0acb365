package dev.tributary.broker.replication;

import dev.tributary.broker.errors.InvalidConfigException;
import java.util.HashSet;
import java.util.Set;

/**
 * The replicas a topic's {@code leader.replication.throttled.replicas} or
 * {@code follower.replication.throttled.replicas} names, in Kafka's syntax: {@code *} for every replica, or a
 * comma-separated list of {@code partition:brokerId} ({@code kafka-reassign-partitions --throttle} writes these).
 * An empty or absent value throttles nothing. Pure.
 */
public final class ThrottledReplicas {
    public static final String LEADER_KEY = "leader.replication.throttled.replicas";
    public static final String FOLLOWER_KEY = "follower.replication.throttled.replicas";
    public static final ThrottledReplicas NONE = new ThrottledReplicas(false, Set.of());

    private final boolean all;
    private final Set<Long> replicas;

    private ThrottledReplicas(boolean all, Set<Long> replicas) {
        this.all = all;
        this.replicas = replicas;
    }

    /**
     * @param key the config's name, for the error
     * @throws InvalidConfigException naming the key, the value and the entry that is not {@code partition:broker}
     */
    public static ThrottledReplicas parse(String key, String value) {
        if (value == null || value.isBlank()) {
            return NONE;
        }
        String v = value.trim();
        if (v.equals("*")) {
            return new ThrottledReplicas(true, Set.of());
        }
        Set<Long> replicas = new HashSet<>();
        for (String entry : v.split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            try {
                if (colon < 0) {
                    throw new NumberFormatException();
                }
                int partition = Integer.parseInt(e.substring(0, colon).trim());
                int broker = Integer.parseInt(e.substring(colon + 1).trim());
                if (partition < 0 || broker < 0) {
                    throw new NumberFormatException();
                }
                replicas.add(pair(partition, broker));
            } catch (NumberFormatException x) {
                throw new InvalidConfigException(
                        key, value, "'" + e + "' is not partition:brokerId (the value is * or a list of those)");
            }
        }
        return new ThrottledReplicas(false, Set.copyOf(replicas));
    }

    /** True if the replica of {@code partition} on {@code broker} is throttled. */
    public boolean contains(int partition, int broker) {
        return all || replicas.contains(pair(partition, broker));
    }

    public boolean isEmpty() {
        return !all && replicas.isEmpty();
    }

    private static long pair(int partition, int broker) {
        return ((long) partition << 32) | (broker & 0xffffffffL);
    }
}
