package dev.tributary.broker.replication;

/**
 * The settings the replication rules need, under Kafka's names.
 *
 * @param replicaLagTimeMaxMs {@code replica.lag.time.max.ms}: a follower not caught up for longer leaves the ISR
 *                            (Kafka's default 30000)
 * @param minInsyncReplicas {@code min.insync.replicas}: the ISR size {@code acks=all} needs (default 1)
 */
public record ReplicationConfig(long replicaLagTimeMaxMs, int minInsyncReplicas) {
    public static final ReplicationConfig DEFAULTS = new ReplicationConfig(30_000, 1);

    public ReplicationConfig {
        if (replicaLagTimeMaxMs <= 0) {
            throw new IllegalArgumentException("replica.lag.time.max.ms must be positive, got " + replicaLagTimeMaxMs);
        }
        if (minInsyncReplicas < 1) {
            throw new IllegalArgumentException("min.insync.replicas must be at least 1, got " + minInsyncReplicas);
        }
    }
}
