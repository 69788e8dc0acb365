package dev.tributary.broker.errors;

/** A replication factor other than 1 (or -1 for the default): this broker is a single node. */
public class InvalidReplicationFactorException extends BrokerException {
    public InvalidReplicationFactorException(String message) {
        super(message);
    }
}
