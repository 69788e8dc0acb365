package dev.tributary.broker.errors;

/** A topic or partition this broker does not host (and may not auto-create). */
public class UnknownTopicOrPartitionException extends BrokerException {
    public UnknownTopicOrPartitionException(String message) {
        super(message);
    }
}
