package dev.tributary.broker.replication;

/**
 * What a partition leader knows about one follower, from the follower's fetches. Immutable: each fetch makes a
 * new value, so a reader on another thread sees one consistent snapshot.
 *
 * <p>The caught-up rule (Kafka's, KIP-16's "time since caught up", not "messages behind"): a fetch at time
 * {@code T} that asks for the leader's log end offset as of {@code T} means the follower had everything at
 * {@code T}; a fetch that asks for the leader's log end offset as of the <em>previous</em> fetch means it had
 * everything the leader had at that previous fetch time. So under a steady stream of appends, a follower that
 * keeps up fetch after fetch stays caught up even though it never sees the very latest record.
 *
 * @param logEndOffset the offset the follower asked to fetch from (it holds everything below);
 *                     {@link #UNKNOWN_OFFSET} until its first fetch to this leader
 * @param lastFetchTimeMs when the last fetch arrived, 0 before the first
 * @param lastFetchLeaderLogEndOffset the leader's log end offset when that fetch arrived
 * @param lastCaughtUpTimeMs the latest time the follower is known to have had the leader's whole log
 */
public record ReplicaState(
        int replicaId,
        long logEndOffset,
        long lastFetchTimeMs,
        long lastFetchLeaderLogEndOffset,
        long lastCaughtUpTimeMs) {
    public static final long UNKNOWN_OFFSET = -1L;

    /**
     * The state a new leader starts from: nothing known about the follower's log. A follower already in the ISR
     * counts as caught up now, so it gets {@code replica.lag.time.max.ms} to fetch before it can be dropped.
     */
    public static ReplicaState initial(int replicaId, boolean inIsr, long nowMs) {
        return new ReplicaState(replicaId, UNKNOWN_OFFSET, 0, UNKNOWN_OFFSET, inIsr ? nowMs : 0);
    }

    /**
     * The state after a fetch from {@code fetchOffset} arrived at {@code fetchTimeMs}, when the leader's log ended
     * at {@code leaderLogEndOffset}.
     */
    public ReplicaState afterFetch(long fetchOffset, long leaderLogEndOffset, long fetchTimeMs) {
        long caughtUp = lastCaughtUpTimeMs;
        if (fetchOffset >= leaderLogEndOffset) {
            caughtUp = Math.max(caughtUp, fetchTimeMs);
        } else if (lastFetchLeaderLogEndOffset != UNKNOWN_OFFSET && fetchOffset >= lastFetchLeaderLogEndOffset) {
            caughtUp = Math.max(caughtUp, lastFetchTimeMs);
        }
        return new ReplicaState(replicaId, fetchOffset, fetchTimeMs, leaderLogEndOffset, caughtUp);
    }

    /**
     * In sync for the ISR's purpose: it has the leader's whole log, or had it within {@code maxLagMs}
     * ({@code replica.lag.time.max.ms}).
     */
    public boolean isCaughtUp(long leaderLogEndOffset, long nowMs, long maxLagMs) {
        return logEndOffset == leaderLogEndOffset || nowMs - lastCaughtUpTimeMs <= maxLagMs;
    }
}
