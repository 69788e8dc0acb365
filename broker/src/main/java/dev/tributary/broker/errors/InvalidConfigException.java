package dev.tributary.broker.errors;

/** A configuration key or value the broker rejects; the message names both. */
public class InvalidConfigException extends BrokerException {
    public InvalidConfigException(String message) {
        super(message);
    }
}
