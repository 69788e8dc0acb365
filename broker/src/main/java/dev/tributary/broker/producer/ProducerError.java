package dev.tributary.broker.producer;

import dev.tributary.broker.errors.BrokerException;

/**
 * Reasons a batch of an idempotent producer is refused. Each name is the Kafka error it answers; the
 * exception {@link #exception} builds has that code's row in the broker's error table.
 */
public enum ProducerError {
    /** The batch's first sequence is not the one after the producer's last appended sequence. */
    OUT_OF_ORDER_SEQUENCE_NUMBER,
    /** The batch's epoch is older than the producer's current epoch: a zombie instance is writing. */
    INVALID_PRODUCER_EPOCH;

    /** The exception the produce path throws to refuse the batch for this reason. */
    public BrokerException exception(String message) {
        return switch (this) {
            case OUT_OF_ORDER_SEQUENCE_NUMBER -> new OutOfOrderSequenceException(message);
            case INVALID_PRODUCER_EPOCH -> new InvalidProducerEpochException(message);
        };
    }
}
