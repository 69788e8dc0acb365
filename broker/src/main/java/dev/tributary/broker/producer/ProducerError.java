package dev.tributary.broker.producer;

/**
 * Reasons a batch of an idempotent producer is refused. The protocol adapter maps each to its Kafka error
 * code in the broker's error table.
 */
public enum ProducerError {
    /** The batch's first sequence is not the one after the producer's last appended sequence. */
    OUT_OF_ORDER_SEQUENCE_NUMBER,
    /** The batch's epoch is older than the producer's current epoch: a zombie instance is writing. */
    INVALID_PRODUCER_EPOCH
}
