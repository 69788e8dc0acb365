package dev.tributary.broker.errors;

/**
 * A request that names a leader epoch older than this replica's: the sender (a follower or a consumer) acts on
 * stale metadata and must refresh it before asking again.
 */
public class FencedLeaderEpochException extends BrokerException {
    public FencedLeaderEpochException(String message) {
        super(message);
    }
}
