package dev.tributary.broker.errors;

/** Produce acks other than -1, 0 or 1. */
public class InvalidRequiredAcksException extends BrokerException {
    public InvalidRequiredAcksException(String message) {
        super(message);
    }
}
