package dev.tributary.broker.producer;

import dev.tributary.broker.errors.BrokerException;

/** A batch from an older epoch of its producer (a fenced instance); Kafka's INVALID_PRODUCER_EPOCH. */
public final class InvalidProducerEpochException extends BrokerException {
    public InvalidProducerEpochException(String message) {
        super(message);
    }
}
