package dev.tributary.broker.producer;

/** A batch from an older epoch of its producer (a fenced instance); Kafka's INVALID_PRODUCER_EPOCH. */
public final class InvalidProducerEpochException extends RuntimeException {
    public InvalidProducerEpochException(String message) {
        super(message);
    }
}
