package dev.tributary.broker.errors;

/**
 * A partition of the cluster that another broker leads (or that this node has not yet opened): the client
 * refreshes its metadata and goes to the leader.
 */
public class NotLeaderOrFollowerException extends BrokerException {
    public NotLeaderOrFollowerException(String message) {
        super(message);
    }
}
