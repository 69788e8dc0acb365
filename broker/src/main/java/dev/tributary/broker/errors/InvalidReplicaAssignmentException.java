package dev.tributary.broker.errors;

/** A manual replica assignment naming brokers other than this one. */
public class InvalidReplicaAssignmentException extends BrokerException {
    public InvalidReplicaAssignmentException(String message) {
        super(message);
    }
}
