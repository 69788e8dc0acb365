package dev.tributary.broker.errors;

/** A partition count that is not positive, or does not grow the topic. */
public class InvalidPartitionsException extends BrokerException {
    public InvalidPartitionsException(String message) {
        super(message);
    }
}
