package dev.tributary.broker.replication;

/**
 * Where a produce request stands with respect to replication. The names of the two errors are Kafka's error
 * codes, to which the broker's error table maps them one to one.
 */
public enum AckStatus {
    /** The append may go ahead. */
    ACCEPTED,
    /** Appended; {@code acks=all} waits until the high watermark covers it. */
    PENDING,
    /** The high watermark covers it and the ISR had at least {@code min.insync.replicas} members. */
    COMPLETE,
    /** {@code acks=all} refused before the append: fewer than {@code min.insync.replicas} in the ISR. */
    NOT_ENOUGH_REPLICAS,
    /**
     * Appended and covered by the high watermark, but the ISR had shrunk below {@code min.insync.replicas} by
     * then, so fewer copies than asked for may exist. The producer retries; its sequence numbers dedupe.
     */
    NOT_ENOUGH_REPLICAS_AFTER_APPEND
}
