package dev.tributary.broker.cluster;

/**
 * When the quorum leader fences brokers whose heartbeats stopped ({@code ExpireBrokerSessions}): the pure rule
 * of {@link BrokerLifecycle}, with the time passed in.
 *
 * <p>Only the quorum leader expires sessions, every {@code checkIntervalMs}, and not before it has led for one
 * whole session timeout. A node that has just become leader has heard no heartbeat yet: the brokers' heartbeats
 * went to the old leader or failed during the election, and the times in the image were stamped by the old
 * leader's clock. Waiting one session gives every live broker a full session to reach the new leader, so only
 * brokers that are really gone are fenced. A new term counts as a new leadership, even on the same node.
 */
public final class SessionExpiryPolicy {

    private final long sessionTimeoutMs;
    private final long checkIntervalMs;
    private long leaderTerm = -1;
    private long leaderSinceMs;
    private long lastExpiryMs = Long.MIN_VALUE;

    public SessionExpiryPolicy(long sessionTimeoutMs, long checkIntervalMs) {
        if (sessionTimeoutMs <= 0 || checkIntervalMs <= 0) {
            throw new IllegalArgumentException("session timeout " + sessionTimeoutMs + " ms and check interval "
                    + checkIntervalMs + " ms must be positive");
        }
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.checkIntervalMs = checkIntervalMs;
    }

    /**
     * True if this node should submit {@code ExpireBrokerSessions} now. Call it periodically with what the node
     * knows of the quorum; a true answer counts as an expiry run.
     *
     * @param leader whether this node is the quorum leader
     * @param term   the quorum's current term as this node knows it
     */
    public boolean shouldExpire(boolean leader, long term, long nowMs) {
        return shouldExpire(leader, term, nowMs, false);
    }

    /**
     * As {@link #shouldExpire(boolean, long, long)}; with {@code overdueSeen} (the leader's own image shows an
     * unfenced broker whose last heartbeat is older than the session) it does not wait for the check interval,
     * so a dead broker is fenced, and its leaderships move, within a tick of its session running out.
     */
    public boolean shouldExpire(boolean leader, long term, long nowMs, boolean overdueSeen) {
        if (!leader) {
            leaderTerm = -1;
            return false;
        }
        if (term != leaderTerm) {
            leaderTerm = term;
            leaderSinceMs = nowMs;
            lastExpiryMs = Long.MIN_VALUE;
        }
        if (nowMs - leaderSinceMs < sessionTimeoutMs) {
            return false;
        }
        if (!overdueSeen && lastExpiryMs != Long.MIN_VALUE && nowMs - lastExpiryMs < checkIntervalMs) {
            return false;
        }
        lastExpiryMs = nowMs;
        return true;
    }

    public long sessionTimeoutMs() {
        return sessionTimeoutMs;
    }
}
