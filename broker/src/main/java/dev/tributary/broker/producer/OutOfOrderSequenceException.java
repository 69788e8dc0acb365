package dev.tributary.broker.producer;

import dev.tributary.broker.errors.BrokerException;

/** A batch whose first sequence does not follow its producer's last one; Kafka's OUT_OF_ORDER_SEQUENCE_NUMBER. */
public final class OutOfOrderSequenceException extends BrokerException {
    public OutOfOrderSequenceException(String message) {
        super(message);
    }
}
