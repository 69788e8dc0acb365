package dev.tributary.broker.producer;

/** A batch whose first sequence does not follow its producer's last one; Kafka's OUT_OF_ORDER_SEQUENCE_NUMBER. */
public final class OutOfOrderSequenceException extends RuntimeException {
    public OutOfOrderSequenceException(String message) {
        super(message);
    }
}
