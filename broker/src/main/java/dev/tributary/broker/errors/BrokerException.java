package dev.tributary.broker.errors;

/**
 * Base of the broker's own request errors. Each subclass has one row in
 * {@code dev.tributary.broker.protocol.ErrorCodes}; the message is what the client sees.
 */
public abstract class BrokerException extends RuntimeException {
    protected BrokerException(String message) {
        super(message);
    }

    protected BrokerException(String message, Throwable cause) {
        super(message, cause);
    }
}
