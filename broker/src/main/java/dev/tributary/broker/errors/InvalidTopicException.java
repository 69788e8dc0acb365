package dev.tributary.broker.errors;

/** A topic name that is empty, too long, uses characters outside [a-zA-Z0-9._-], or is reserved. */
public class InvalidTopicException extends BrokerException {
    public InvalidTopicException(String message) {
        super(message);
    }
}
