package dev.tributary.broker.partition;

import dev.tributary.broker.append.AppendDecision;
import dev.tributary.broker.append.AppendResult;
import dev.tributary.broker.append.ProduceValidator;
import dev.tributary.broker.errors.FencedLeaderEpochException;
import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.errors.UnknownLeaderEpochException;
import dev.tributary.broker.replication.AckStatus;
import dev.tributary.broker.replication.IsrProposal;
import dev.tributary.broker.replication.LeaderAndIsr;
import dev.tributary.broker.replication.PartitionReplicationState;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.log.FileRegion;
import dev.tributary.log.Log;
import dev.tributary.log.LogAppendInfo;
import dev.tributary.log.LogConfig;
import dev.tributary.log.TimestampOffset;
import dev.tributary.log.epoch.EpochEndOffset;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Set;

/**
 * One hosted partition: core-log's {@link Log} plus the append lock that makes it single-writer (core-log allows
 * one writer thread at a time; produce requests arrive on any handler thread) and the hooks that wake parked
 * fetches and produces. Reads take no lock.
 *
 * <p>A partition has one of three roles:
 * <ul>
 *   <li><b>local</b> (a single node, and the broker's own topics on a cluster node): everything appended is
 *       committed, so the high watermark is the log end offset;
 *   <li><b>leader</b>: appends stamp the leader epoch; followers' fetches move the high watermark through
 *       {@link PartitionReplicationState}, whose ISR changes go to the quorum through the {@link IsrChanges}
 *       hook;
 *   <li><b>follower</b>: only the replica fetcher writes, with the leader's offsets; client requests get
 *       {@code NOT_LEADER_OR_FOLLOWER}.
 * </ul>
 * The role, the replication state and the high watermark change under the append lock; {@link #highWatermark}
 * and {@link #leaderEpoch} read volatile copies.
 */
public final class Partition {
    private volatile boolean leaderThrottled;
    private volatile boolean followerThrottled;

    /** Where a leader's ISR change proposals go (to the metadata quorum). */
    @FunctionalInterface
    public interface IsrChanges {
        void propose(PartitionId partition, IsrProposal proposal);
    }

    /** Told when records become visible to consumers (the high watermark moved) or the role changed. */
    interface Listeners {
        /** Records up to the new high watermark are readable; {@code bytes} roughly how many bytes became so. */
        void onCommitted(PartitionId partition, int bytes);

        /** The log end offset moved (a replica fetch may be waiting for it). */
        void onAppended(PartitionId partition, int bytes);

        /** The role changed: see {@link RoleListener}. */
        void onRole(PartitionId partition, boolean leader, int leaderId, int leaderEpoch);
    }

    private enum Role {
        LOCAL,
        LEADER,
        FOLLOWER
    }

    private final PartitionId id;
    private final Log log;
    private final Listeners listeners;
    private final Object appendLock = new Object();

    // guarded by appendLock; the volatile copies are for lock-free readers
    private volatile Role role = Role.LOCAL;
    private volatile long highWatermark;
    private volatile int leaderEpoch = -1;
    private volatile int leaderId = -1;
    private PartitionReplicationState replication;
    private IsrChanges isrChanges = (p, proposal) -> {};
    private int uncommittedBytes;

    Partition(PartitionId id, Log log, Listeners listeners) {
        this.id = id;
        this.log = log;
        this.listeners = listeners;
        this.highWatermark = log.logEndOffset();
    }

    public PartitionId id() {
        return id;
    }

    /** The underlying log, for code that reads batches directly (offsets loader, producer-state rebuild). */
    public Log log() {
        return log;
    }

    // ------------------------------------------------------------------ roles

    /**
     * This node leads from now on under {@code state}: records the new epoch at the log end in the leader-epoch
     * cache and starts a fresh replication state (the high watermark so far carries over).
     */
    public void becomeLeader(int self, LeaderAndIsr state, ReplicationConfig config, long nowMs, IsrChanges hook) {
        synchronized (appendLock) {
            long leo = log.logEndOffset();
            log.leaderEpochCache().assign(state.leaderEpoch(), leo);
            long hw = role == Role.LOCAL && replication == null ? Math.min(highWatermark, leo) : highWatermark;
            replication = PartitionReplicationState.becomeLeader(self, state, leo, hw, config, nowMs);
            replication.onLeaderAppend(leo);
            isrChanges = hook;
            leaderEpoch = state.leaderEpoch();
            leaderId = self;
            role = Role.LEADER;
            setHighWatermark(replication.highWatermark());
        }
        listeners.onCommitted(id, 0); // also ends the waits of produces appended under an older epoch
        listeners.onRole(id, true, self, state.leaderEpoch());
    }

    /** Another node ({@code leader}, or none: -1) leads under {@code epoch}; only the fetcher writes here now. */
    public void becomeFollower(int leader, int epoch) {
        synchronized (appendLock) {
            replication = null;
            leaderEpoch = epoch;
            leaderId = leader;
            role = Role.FOLLOWER;
            highWatermark = Math.min(highWatermark, log.logEndOffset());
        }
        listeners.onCommitted(id, 0); // ends the waits of produces this node appended as leader
        listeners.onRole(id, false, leader, epoch);
    }

    /**
     * Whether this node's replica is throttled as leader (what it sends to followers out of the ISR) and as
     * follower (what it fetches while out of the ISR), from the topic's throttled-replicas configs.
     */
    public void throttle(boolean asLeader, boolean asFollower) {
        this.leaderThrottled = asLeader;
        this.followerThrottled = asFollower;
    }

    public boolean isLeaderThrottled() {
        return leaderThrottled;
    }

    public boolean isFollowerThrottled() {
        return followerThrottled;
    }

    /** As leader, uses {@code config} from now on; returns false if this node does not lead or nothing changed. */
    public boolean updateReplicationConfig(ReplicationConfig config) {
        synchronized (appendLock) {
            return replication != null && replication.updateConfig(config);
        }
    }

    /** The quorum committed a new ISR for this leader; returns false if it was stale. */
    public boolean applyCommittedIsr(Set<Integer> isr, int partitionEpoch) {
        boolean moved;
        synchronized (appendLock) {
            if (role != Role.LEADER || replication == null) {
                return false;
            }
            if (!replication.applyCommittedIsr(isr, partitionEpoch)) {
                return false;
            }
            moved = setHighWatermark(replication.highWatermark());
        }
        if (moved) {
            listeners.onCommitted(id, takeUncommittedBytes());
        }
        return true;
    }

    /** The quorum refused this leader's ISR proposal; the next check may propose again. */
    public void isrProposalRejected(long nowMs) {
        synchronized (appendLock) {
            if (replication != null) {
                replication.onIsrProposalRejected(nowMs);
            }
        }
    }

    public boolean isLeader() {
        return role == Role.LEADER;
    }

    public boolean isFollower() {
        return role == Role.FOLLOWER;
    }

    /** The current leader epoch, -1 for a local partition. */
    public int leaderEpoch() {
        return leaderEpoch;
    }

    /** The leader's node id as this node last learned it; -1 when local or leaderless. */
    public int leaderId() {
        return leaderId;
    }

    /**
     * Checks that a client request may be served here: this node leads (or the partition is local), and the
     * request's leader epoch ({@code -1}: not checked) is the current one.
     */
    public void checkLeader(int currentLeaderEpoch) {
        Role r = role;
        if (r == Role.FOLLOWER) {
            throw new NotLeaderOrFollowerException("This server is a follower of " + id + " (leader "
                    + (leaderId < 0 ? "none" : "node " + leaderId) + ", epoch " + leaderEpoch + ")");
        }
        checkEpoch(currentLeaderEpoch);
    }

    /** Fences a request that names another leader epoch than this replica's. */
    public void checkEpoch(int currentLeaderEpoch) {
        int ours = leaderEpoch;
        if (currentLeaderEpoch < 0 || role == Role.LOCAL) {
            return;
        }
        if (currentLeaderEpoch < ours) {
            throw new FencedLeaderEpochException(
                    "Leader epoch " + currentLeaderEpoch + " of the request is older than " + ours + " of " + id);
        }
        if (currentLeaderEpoch > ours) {
            throw new UnknownLeaderEpochException(
                    "Leader epoch " + currentLeaderEpoch + " of the request is newer than " + ours + " of " + id);
        }
    }

    // ------------------------------------------------------------------ writes

    /**
     * Validates and writes one partition's batches as the producer sent them. Offsets are assigned in place;
     * compressed batches are stored as sent. On a leader the batches carry the leader epoch.
     *
     * @throws RuntimeException core-log's CorruptRecordException / RecordTooLargeException /
     *     InvalidRecordException, the validator's rejection, or NOT_LEADER_OR_FOLLOWER on a follower; nothing is
     *     written then
     */
    public AppendResult append(ByteBuffer batches, ProduceValidator validator) {
        AppendResult result;
        int bytes;
        boolean committed;
        synchronized (appendLock) {
            if (role == Role.FOLLOWER) {
                checkLeader(-1);
            }
            AppendDecision decision = validator.beforeAppend(id, batches.asReadOnlyBuffer(), log.logEndOffset());
            if (decision.isDuplicate()) {
                return decision.duplicateOf();
            }
            ByteBuffer view = batches.duplicate();
            LogAppendInfo info = role == Role.LEADER ? log.appendAsLeader(batches, leaderEpoch) : log.append(batches);
            result = new AppendResult(
                    info.firstOffset(), info.lastOffset(), info.logAppendTime(), info.logStartOffset());
            bytes = info.sizeInBytes();
            validator.afterAppend(id, view.asReadOnlyBuffer(), result);
            if (role == Role.LEADER) {
                uncommittedBytes += bytes;
                replication.onLeaderAppend(log.logEndOffset());
                committed = setHighWatermark(replication.highWatermark());
            } else {
                highWatermark = log.logEndOffset();
                committed = true;
            }
        }
        listeners.onAppended(id, bytes);
        if (committed) {
            listeners.onCommitted(id, role == Role.LEADER ? takeUncommittedBytes() : bytes);
        }
        return result;
    }

    /** Appends under the lock without a validator, for the broker's own internal writes. */
    public AppendResult append(ByteBuffer batches) {
        return append(batches, ProduceValidator.NO_OP);
    }

    /**
     * A follower writes batches fetched from its leader, with the leader's offsets and epochs, and takes the
     * leader's high watermark (never past its own log end).
     *
     * @param fetchedInEpoch the leader epoch the fetch was made under; a fetch from an older leadership is refused
     * @return the new log end offset
     */
    public long appendAsFollower(ByteBuffer batches, long leaderHighWatermark, int fetchedInEpoch) {
        int bytes = batches.remaining();
        long leo;
        boolean moved;
        synchronized (appendLock) {
            if (role != Role.FOLLOWER || leaderEpoch != fetchedInEpoch) {
                throw new NotLeaderOrFollowerException(
                        "Node no longer follows " + id + " under epoch " + fetchedInEpoch);
            }
            if (bytes > 0) {
                log.appendAsFollower(batches);
            }
            leo = log.logEndOffset();
            moved = setHighWatermark(Math.min(leaderHighWatermark, leo));
        }
        if (bytes > 0) {
            listeners.onAppended(id, bytes);
        }
        if (moved) {
            listeners.onCommitted(id, bytes);
        }
        return leo;
    }

    /** A follower drops everything at and above {@code offset} (a tail its new leader does not have). */
    public void truncateTo(long offset) {
        synchronized (appendLock) {
            log.truncateTo(offset);
            highWatermark = Math.min(highWatermark, log.logEndOffset());
        }
    }

    /** A follower whose position fell below its leader's log start starts over, empty, at {@code offset}. */
    public void truncateFullyAndStartAt(long offset) {
        synchronized (appendLock) {
            log.truncateFullyAndStartAt(offset);
            highWatermark = offset;
        }
    }

    /** A follower's high watermark from the leader's fetch answer (never past its own log end). */
    public void followerHighWatermark(long leaderHighWatermark) {
        boolean moved;
        synchronized (appendLock) {
            moved = setHighWatermark(Math.min(leaderHighWatermark, log.logEndOffset()));
        }
        if (moved) {
            listeners.onCommitted(id, 0);
        }
    }

    /**
     * A cluster node's replica found on disk at start: it serves nobody until the metadata gives it a role, and
     * its high watermark is the checkpointed one ({@code -1}: none, so the log start), never the log end, whose
     * tail may never have been committed.
     */
    public void startUnassigned(long checkpointedHighWatermark) {
        synchronized (appendLock) {
            replication = null;
            role = Role.FOLLOWER;
            leaderId = -1;
            leaderEpoch = -1;
            highWatermark = Math.min(Math.max(checkpointedHighWatermark, log.logStartOffset()), log.logEndOffset());
        }
    }

    // ------------------------------------------------------------------ leader-side replication

    /**
     * Follower {@code replicaId} fetched from {@code fetchOffset}: it has everything below. Moves the high
     * watermark when it can, and proposes adding the follower to the ISR once it has caught up.
     */
    public void onFollowerFetch(int replicaId, long fetchOffset, long nowMs) {
        boolean moved;
        Optional<IsrProposal> expand;
        IsrChanges hook;
        synchronized (appendLock) {
            if (role == Role.LOCAL) {
                return; // a single node tracks no followers; the fetch reads like any other
            }
            if (role != Role.LEADER) {
                checkLeader(-1);
                throw new NotLeaderOrFollowerException("This server does not lead " + id);
            }
            if (fetchOffset > log.logEndOffset() || fetchOffset < 0) {
                return; // the read answers OFFSET_OUT_OF_RANGE
            }
            if (!isReplica(replicaId)) {
                throw new NotLeaderOrFollowerException(
                        "Node " + replicaId + " is not a replica of " + id + " (" + replication + ")");
            }
            replication.onFollowerFetch(replicaId, fetchOffset, nowMs);
            moved = setHighWatermark(replication.highWatermark());
            expand = replication.maybeExpandIsr(replicaId, nowMs);
            hook = isrChanges;
        }
        if (moved) {
            listeners.onCommitted(id, takeUncommittedBytes());
        }
        expand.ifPresent(p -> hook.propose(id, p));
    }

    private boolean isReplica(int replicaId) {
        try {
            replication.replicaState(replicaId);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Proposes dropping followers that lag more than {@code replica.lag.time.max.ms}; leaders only. */
    public void maybeShrinkIsr(long nowMs) {
        Optional<IsrProposal> shrink;
        IsrChanges hook;
        synchronized (appendLock) {
            if (role != Role.LEADER || replication == null) {
                return;
            }
            shrink = replication.maybeShrinkIsr(nowMs);
            hook = isrChanges;
        }
        shrink.ifPresent(p -> hook.propose(id, p));
    }

    /** Whether an {@code acks} produce may be appended now ({@code NOT_ENOUGH_REPLICAS} before the append). */
    public AckStatus checkAppend(int acks) {
        synchronized (appendLock) {
            return role == Role.LEADER ? replication.checkAppend(acks) : AckStatus.ACCEPTED;
        }
    }

    /** Where an {@code acks=all} produce ending at {@code requiredEndOffset} stands. */
    public AckStatus acksAllStatus(long requiredEndOffset, int appendedInEpoch) {
        synchronized (appendLock) {
            if (role == Role.LOCAL) {
                return AckStatus.COMPLETE;
            }
            if (role != Role.LEADER || leaderEpoch != appendedInEpoch) {
                throw new NotLeaderOrFollowerException("Leadership of " + id + " moved (epoch " + appendedInEpoch
                        + " -> " + leaderEpoch + ") before the write was replicated");
            }
            return replication.acksAllStatus(requiredEndOffset);
        }
    }

    /** The committed ISR as this leader knows it (empty unless leading). */
    public Set<Integer> isr() {
        synchronized (appendLock) {
            return replication == null ? Set.of() : replication.isr();
        }
    }

    /** A one-line description of the replication state, for logs and tools. */
    public String describeReplication() {
        synchronized (appendLock) {
            return role + (replication != null ? " " + replication : " epoch " + leaderEpoch + " leader " + leaderId)
                    + " hw " + highWatermark + " leo " + log.logEndOffset();
        }
    }

    private boolean setHighWatermark(long hw) {
        if (hw > highWatermark) {
            highWatermark = hw;
            return true;
        }
        return false;
    }

    private int takeUncommittedBytes() {
        synchronized (appendLock) {
            int b = uncommittedBytes;
            uncommittedBytes = 0;
            return b;
        }
    }

    // ------------------------------------------------------------------ reads

    /** A zero-copy region starting at the batch holding {@code offset}, up to the log end (replica fetches). */
    public FileRegion read(long offset, int maxBytes) {
        return log.read(offset, maxBytes);
    }

    /** As {@link #read}, but only committed batches (below the high watermark): what consumers may see. */
    public FileRegion readCommitted(long offset, int maxBytes) {
        if (role == Role.LOCAL) {
            return log.read(offset, maxBytes);
        }
        return log.read(offset, maxBytes, highWatermark);
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    /** The offset below which every record is committed; the log end offset for a local partition. */
    public long highWatermark() {
        return role == Role.LOCAL ? log.logEndOffset() : highWatermark;
    }

    /**
     * Where {@code epoch} ended in this log (for OffsetForLeaderEpoch). A local partition has always had one
     * leader, under the epoch Metadata reports (0): every epoch it is asked about ends at its log end, so a
     * consumer that validates its position after a reconnect keeps it.
     */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        if (role == Role.LOCAL) {
            return epoch < 0 ? EpochEndOffset.UNDEFINED : new EpochEndOffset(epoch, log.logEndOffset());
        }
        return log.endOffsetForEpoch(epoch);
    }

    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        return log.offsetForTimestamp(timestamp);
    }

    public TimestampOffset maxTimestamp() {
        return log.maxTimestamp();
    }

    /** Advances the log start offset; {@code -1} means the high watermark. Returns the new start. */
    public long deleteRecordsBefore(long offset) {
        synchronized (appendLock) {
            long target = offset < 0 ? highWatermark() : offset;
            log.deleteRecordsBefore(target);
            return log.logStartOffset();
        }
    }

    void updateConfig(LogConfig config) {
        synchronized (appendLock) {
            log.updateConfig(config);
        }
    }

    /** Retention and delayed deletion; under the lock because it may remove segments. */
    void enforceRetention() {
        synchronized (appendLock) {
            log.retention();
        }
    }

    /** Not under the append lock: core-log forces the files outside its own lock, so appends go on meanwhile. */
    void flushIfDue() {
        log.flushIfDue();
    }
}
