package dev.tributary.broker.errors;

/**
 * A request that names a leader epoch newer than this replica knows: this replica has not yet heard of the
 * leader change the sender already saw. Retriable: the sender waits and asks again.
 */
public class UnknownLeaderEpochException extends BrokerException {
    public UnknownLeaderEpochException(String message) {
        super(message);
    }
}
