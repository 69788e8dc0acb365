package dev.tributary.broker.replication;

import dev.tributary.broker.errors.InvalidConfigException;
import java.util.Map;

/**
 * This node's replication throttle, Kafka's: the byte rates {@code leader.replication.throttled.rate} (what this
 * node as leader sends to throttled followers) and {@code follower.replication.throttled.rate} (what it fetches as
 * a throttled follower), both unlimited by default and dynamic per broker, apply only to the replicas a topic's
 * {@link ThrottledReplicas} lists, and only while such a replica is out of the ISR, so a reassignment copying to
 * a new replica cannot starve the followers that keep {@code acks=all} going.
 */
public final class ReplicationThrottle {
    public static final String LEADER_RATE = "leader.replication.throttled.rate";
    public static final String FOLLOWER_RATE = "follower.replication.throttled.rate";

    private final ReplicationQuota leader = new ReplicationQuota(Long.MAX_VALUE);
    private final ReplicationQuota follower = new ReplicationQuota(Long.MAX_VALUE);

    public ReplicationQuota leaderQuota() {
        return leader;
    }

    public ReplicationQuota followerQuota() {
        return follower;
    }

    /** Takes both rates from a node's configs (absent: unlimited); throws before changing either if one is bad. */
    public void rates(Map<String, String> configs) {
        long l = rate(LEADER_RATE, configs.get(LEADER_RATE));
        long f = rate(FOLLOWER_RATE, configs.get(FOLLOWER_RATE));
        leader.limit(l);
        follower.limit(f);
    }

    /** A rate in bytes per second; null is unlimited. */
    public static long rate(String key, String value) {
        if (value == null) {
            return Long.MAX_VALUE;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < 0) {
                throw new InvalidConfigException(key, value, "must be at least 0 (bytes per second)");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, value, "not a 64-bit integer (bytes per second)");
        }
    }
}
