package dev.tributary.broker.replication;

import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A partition leader's replication bookkeeping for one leader epoch: its followers' progress, the ISR, the high
 * watermark and the {@code acks=all} rule. Pure: no I/O, time comes in as arguments. A new instance is made each
 * time this node becomes leader ({@link #becomeLeader}); it is dropped when leadership moves.
 *
 * <h2>Rules</h2>
 * <ul>
 *   <li><b>High watermark</b> = the smallest log end offset over the <em>maximal ISR</em> (leader included). It
 *       never moves backwards. A follower whose log end offset is not yet known to this leader (no fetch since
 *       the leader took over) holds it where it is.</li>
 *   <li><b>Maximal ISR.</b> The ISR that counts is the one the metadata quorum committed ({@link #isr()}). While
 *       a change is in flight ({@link #pendingIsr()}), the high watermark waits for the union of both: a
 *       follower being added must have everything below the high watermark the moment the quorum commits it, and
 *       a follower being removed may still be elected until the removal is committed.</li>
 *   <li><b>ISR shrink</b>: committed-ISR followers not caught up within {@code replica.lag.time.max.ms}
 *       ({@link ReplicaState#isCaughtUp}).</li>
 *   <li><b>ISR expand</b>: a replica outside the ISR whose log end offset is at or above both the high watermark
 *       and the start offset of this leader's epoch (below that, it may still hold a previous leader's
 *       divergent tail, and the high watermark of a new leader can lag the true one).</li>
 *   <li><b>One change at a time</b>, and it takes effect only through {@link #applyCommittedIsr} with a partition
 *       epoch newer than the current one; an older or equal epoch is a stale or repeated update and is ignored.
 *       </li>
 *   <li><b>{@code acks=all}</b>: refused before the append when the committed ISR is smaller than
 *       {@code min.insync.replicas}; complete once the high watermark reaches the batch's end offset, with
 *       {@link AckStatus#NOT_ENOUGH_REPLICAS_AFTER_APPEND} if the ISR has meanwhile shrunk below the minimum.</li>
 * </ul>
 *
 * <p>Not thread-safe. The partition's single owner (its event thread or its lock, see STYLE.md habit 14)
 * calls every method.
 */
public final class PartitionReplicationState {
    /** How long a leader waits after the quorum refused an ISR change before it proposes one again. */
    public static final long REJECTED_BACKOFF_MS = 1000;

    private final int localId;
    private final int leaderEpoch;
    private final List<Integer> replicas;
    private ReplicationConfig config;
    private final long leaderEpochStartOffset;
    private final Map<Integer, ReplicaState> followers = new LinkedHashMap<>();

    private Set<Integer> isr;
    private int partitionEpoch;
    private IsrProposal pending;
    /** No new proposal before this time: the quorum refused the last one (e.g. the follower is fenced). */
    private long proposeAfterMs = Long.MIN_VALUE;

    private long logEndOffset;
    private long highWatermark;

    private PartitionReplicationState(
            int localId,
            LeaderAndIsr state,
            long logEndOffset,
            long highWatermark,
            ReplicationConfig config,
            long nowMs) {
        this.localId = localId;
        this.leaderEpoch = state.leaderEpoch();
        this.replicas = state.replicas();
        this.config = config;
        this.isr = state.isr();
        this.partitionEpoch = state.partitionEpoch();
        this.logEndOffset = logEndOffset;
        this.leaderEpochStartOffset = logEndOffset;
        this.highWatermark = Math.min(highWatermark, logEndOffset);
        for (int id : replicas) {
            if (id != localId) {
                followers.put(id, ReplicaState.initial(id, isr.contains(id), nowMs));
            }
        }
    }

    /**
     * This node ({@code localId}) leads from now on, under {@code state}. The caller has assigned
     * {@code state.leaderEpoch()} at {@code logEndOffset} in the log's leader-epoch cache; that offset is the
     * leader epoch start offset of the expand rule.
     *
     * @param highWatermark the log's high watermark so far (a follower's view; it only grows from here)
     */
    public static PartitionReplicationState becomeLeader(
            int localId,
            LeaderAndIsr state,
            long logEndOffset,
            long highWatermark,
            ReplicationConfig config,
            long nowMs) {
        if (state.leader() != localId) {
            throw new IllegalArgumentException("node " + localId + " cannot lead under " + state);
        }
        if (!state.isr().contains(localId)) {
            throw new IllegalArgumentException("leader " + localId + " is not in its ISR " + state.isr());
        }
        return new PartitionReplicationState(localId, state, logEndOffset, highWatermark, config, nowMs);
    }

    /** Uses {@code next} from now on (a topic's {@code min.insync.replicas} changed); false if it is the same. */
    public boolean updateConfig(ReplicationConfig next) {
        if (next.equals(config)) {
            return false;
        }
        config = next;
        return true;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public int partitionEpoch() {
        return partitionEpoch;
    }

    public long highWatermark() {
        return highWatermark;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long leaderEpochStartOffset() {
        return leaderEpochStartOffset;
    }

    /** The committed ISR. */
    public Set<Integer> isr() {
        return isr;
    }

    /** The ISR change sent to the quorum and not yet answered. */
    public Optional<IsrProposal> pendingIsr() {
        return Optional.ofNullable(pending);
    }

    /** The committed ISR together with the pending one: the replicas the high watermark waits for. */
    public Set<Integer> maximalIsr() {
        if (pending == null) {
            return isr;
        }
        Set<Integer> union = new HashSet<>(isr);
        union.addAll(pending.newIsr());
        return Collections.unmodifiableSet(union);
    }

    public ReplicaState replicaState(int replicaId) {
        ReplicaState s = followers.get(replicaId);
        if (s == null) {
            throw new IllegalArgumentException("replica " + replicaId + " is not a follower of this partition, "
                    + "replicas " + replicas + ", leader " + localId);
        }
        return s;
    }

    public boolean isUnderReplicated() {
        return isr.size() < replicas.size();
    }

    public boolean isUnderMinIsr() {
        return isr.size() < config.minInsyncReplicas();
    }

    /** Whether a produce with {@code acks} may be appended now. */
    public AckStatus checkAppend(int acks) {
        return acks == -1 && isUnderMinIsr() ? AckStatus.NOT_ENOUGH_REPLICAS : AckStatus.ACCEPTED;
    }

    /** Where an {@code acks=all} produce whose last record is at {@code requiredEndOffset - 1} stands. */
    public AckStatus acksAllStatus(long requiredEndOffset) {
        if (highWatermark < requiredEndOffset) {
            return AckStatus.PENDING;
        }
        return isUnderMinIsr() ? AckStatus.NOT_ENOUGH_REPLICAS_AFTER_APPEND : AckStatus.COMPLETE;
    }

    /**
     * The leader appended; its log now ends at {@code newLogEndOffset}.
     *
     * @return whether the high watermark moved (a leader alone in its ISR commits on append)
     */
    public boolean onLeaderAppend(long newLogEndOffset) {
        if (newLogEndOffset < logEndOffset) {
            throw new IllegalArgumentException(
                    "a leader's log end offset only grows: " + logEndOffset + " -> " + newLogEndOffset);
        }
        logEndOffset = newLogEndOffset;
        return maybeAdvanceHighWatermark();
    }

    /**
     * Follower {@code replicaId} fetched from {@code fetchOffset} at {@code nowMs}: it holds every offset below.
     * The fetch path has already checked the offset is within the leader's log.
     *
     * @return whether the high watermark moved
     */
    public boolean onFollowerFetch(int replicaId, long fetchOffset, long nowMs) {
        ReplicaState current = replicaState(replicaId);
        if (fetchOffset > logEndOffset) {
            throw new IllegalArgumentException("replica " + replicaId + " fetches from " + fetchOffset
                    + " past the leader's log end offset " + logEndOffset);
        }
        followers.put(replicaId, current.afterFetch(fetchOffset, logEndOffset, nowMs));
        return maybeAdvanceHighWatermark();
    }

    /** Committed-ISR followers that have not been caught up within {@code replica.lag.time.max.ms}. */
    public Set<Integer> shrinkCandidates(long nowMs) {
        Set<Integer> out = new TreeSet<>();
        for (int id : isr) {
            if (id != localId && !followers.get(id).isCaughtUp(logEndOffset, nowMs, config.replicaLagTimeMaxMs())) {
                out.add(id);
            }
        }
        return out;
    }

    /** Whether {@code replicaId}, outside the ISR, has caught up far enough to join it. */
    public boolean isExpandCandidate(int replicaId) {
        if (replicaId == localId || isr.contains(replicaId)) {
            return false;
        }
        long leo = replicaState(replicaId).logEndOffset();
        return leo >= highWatermark && leo >= leaderEpochStartOffset;
    }

    /**
     * The proposal that drops the lagging followers, recorded as pending; empty when none lag or a change is
     * already in flight.
     */
    public Optional<IsrProposal> maybeShrinkIsr(long nowMs) {
        if (pending != null || nowMs < proposeAfterMs) {
            return Optional.empty();
        }
        Set<Integer> lagging = shrinkCandidates(nowMs);
        if (lagging.isEmpty()) {
            return Optional.empty();
        }
        Set<Integer> newIsr = new TreeSet<>(isr);
        newIsr.removeAll(lagging);
        return Optional.of(propose(newIsr));
    }

    /**
     * The proposal that adds {@code replicaId}, recorded as pending; empty when it is not a candidate or a change
     * is already in flight. Call it after {@link #onFollowerFetch}.
     */
    public Optional<IsrProposal> maybeExpandIsr(int replicaId) {
        return maybeExpandIsr(replicaId, Long.MAX_VALUE);
    }

    /** As {@link #maybeExpandIsr(int)}, at {@code nowMs}: nothing within {@link #REJECTED_BACKOFF_MS} of a refusal. */
    public Optional<IsrProposal> maybeExpandIsr(int replicaId, long nowMs) {
        if (pending != null || nowMs < proposeAfterMs || !isExpandCandidate(replicaId)) {
            return Optional.empty();
        }
        Set<Integer> newIsr = new TreeSet<>(isr);
        newIsr.add(replicaId);
        return Optional.of(propose(newIsr));
    }

    private IsrProposal propose(Set<Integer> newIsr) {
        pending = new IsrProposal(localId, leaderEpoch, partitionEpoch, newIsr);
        return pending;
    }

    /**
     * The quorum committed {@code newIsr} at {@code newPartitionEpoch} (the answer to our proposal, or a change
     * the quorum made itself, such as dropping a fenced broker). Clears the pending proposal.
     *
     * @return false, changing nothing, when {@code newPartitionEpoch} is not newer than the current one
     */
    public boolean applyCommittedIsr(Set<Integer> newIsr, int newPartitionEpoch) {
        if (newPartitionEpoch <= partitionEpoch) {
            return false;
        }
        if (!newIsr.contains(localId)) {
            throw new IllegalArgumentException("committed ISR " + newIsr + " at partition epoch " + newPartitionEpoch
                    + " leaves out leader " + localId + "; a leader change comes with a new leader epoch");
        }
        if (!replicas.containsAll(newIsr)) {
            throw new IllegalArgumentException("committed ISR " + newIsr + " is not within replicas " + replicas);
        }
        isr = Set.copyOf(newIsr);
        partitionEpoch = newPartitionEpoch;
        pending = null;
        maybeAdvanceHighWatermark();
        return true;
    }

    /**
     * The quorum refused the pending proposal (stale epoch, or an added replica is fenced): forget it. The
     * committed ISR is unchanged; the next check may propose again, based on fresher metadata.
     */
    public void onIsrProposalRejected() {
        pending = null;
        maybeAdvanceHighWatermark();
    }

    /**
     * As {@link #onIsrProposalRejected()}, at {@code nowMs}: the next proposal waits {@link #REJECTED_BACKOFF_MS}, so
     * a follower the quorum keeps refusing (fenced while it restarts) is not proposed again on every fetch.
     */
    public void onIsrProposalRejected(long nowMs) {
        onIsrProposalRejected();
        proposeAfterMs = nowMs + REJECTED_BACKOFF_MS;
    }

    private boolean maybeAdvanceHighWatermark() {
        long candidate = logEndOffset;
        for (int id : maximalIsr()) {
            if (id != localId) {
                candidate = Math.min(candidate, followers.get(id).logEndOffset());
            }
        }
        if (candidate > highWatermark) {
            highWatermark = candidate;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return "leader " + localId + " epoch " + leaderEpoch + " isr " + isr + "@" + partitionEpoch
                + (pending != null ? " pending " + pending.newIsr() : "") + " leo " + logEndOffset + " hw "
                + highWatermark + " followers " + followers.values();
    }
}
