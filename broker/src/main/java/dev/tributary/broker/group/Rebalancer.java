package dev.tributary.broker.group;

import static dev.tributary.broker.group.GroupTable.reply;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state transitions of one group in Kafka's classic rebalance protocol; {@link GroupCoordinator} decides
 * which request or timeout triggers them.
 *
 * <ol>
 *   <li>A member joins. From JoinGroup v4 a member without id is given one with MEMBER_ID_REQUIRED and
 *       must join again with it. The group moves to PreparingRebalance ({@link #prepare}) and waits for every
 *       known member to (re)join — members learn of the rebalance from REBALANCE_IN_PROGRESS on their
 *       heartbeat — or for the largest rebalance timeout of its members; members that did not rejoin by then
 *       are removed. The first rebalance of an empty group additionally waits
 *       {@code group.initial.rebalance.delay.ms}, extended with each new member up to the rebalance timeout.</li>
 *   <li>Join completes ({@link #completeJoin}): the generation id increases, a protocol is chosen
 *       ({@link Group#selectProtocol}), the leader receives all members' subscriptions, the others an empty
 *       list. CompletingRebalance.</li>
 *   <li>The leader's SyncGroup carries every member's assignment ({@link #completeSync}); it is persisted,
 *       then the group is Stable and all waiting SyncGroups are answered. Members that do not send SyncGroup
 *       within the rebalance timeout are removed, which starts another rebalance.</li>
 *   <li>A member that leaves, or whose heartbeats stop for its session timeout, is removed
 *       ({@link #removeMember}) and the group rebalances; when the last member goes the group becomes Empty
 *       but keeps its offsets.</li>
 * </ol>
 *
 * <p>Every method but {@link #persistAssignment} runs under the table's lock and only queues answers in the
 * outbox; the store writes are queued too, and run after the lock is released.
 */
final class Rebalancer {

    private static final Logger LOG = LoggerFactory.getLogger(Rebalancer.class);
    static final byte[] EMPTY = new byte[0];

    private final GroupConfig config;
    private final Clock clock;
    private final GroupTable table;

    Rebalancer(GroupConfig config, Clock clock, GroupTable table) {
        this.config = config;
        this.clock = clock;
        this.table = table;
    }

    /** Moves the group to PreparingRebalance: pending syncs are told to rejoin, the join deadline is set. */
    void prepare(Group g, long now, List<Runnable> out) {
        if (g.is(GroupState.COMPLETING_REBALANCE)) {
            for (GroupMember m : g.members.values()) {
                m.assignment = EMPTY;
            }
        }
        for (GroupMember m : g.members.values()) {
            if (m.syncCallback != null) {
                reply(out, m.syncCallback, SyncGroup.Result.error(GroupError.REBALANCE_IN_PROGRESS));
                m.syncCallback = null;
            }
        }
        g.pendingSyncMembers.clear();
        boolean fromEmpty = g.is(GroupState.EMPTY);
        g.transition(GroupState.PREPARING_REBALANCE, now);
        int timeout = g.maxRebalanceTimeoutMs();
        if (fromEmpty && config.initialRebalanceDelayMs() > 0) {
            g.initialDelay = true;
            g.initialDelayLimit = now + timeout;
            g.rebalanceDeadline = now + Math.min(config.initialRebalanceDelayMs(), timeout);
        } else {
            g.initialDelay = false;
            g.rebalanceDeadline = now + timeout;
        }
        LOG.debug("Group {} preparing rebalance for generation {}", g.groupId, g.generationId + 1);
    }

    /** Completes the join phase if every member is back and no initial delay is running. */
    void tryCompleteJoin(Group g, long now, List<Runnable> out) {
        if (g.is(GroupState.PREPARING_REBALANCE)
                && (g.members.isEmpty() || (!g.initialDelay && g.allMembersJoined()))) {
            completeJoin(g, now, out);
        }
    }

    void completeJoin(Group g, long now, List<Runnable> out) {
        g.initialDelay = false;
        // Members that never came back within the rebalance timeout are dropped from the new generation.
        for (GroupMember m : new ArrayList<>(g.members.values())) {
            if (!m.isAwaitingJoin()) {
                g.members.remove(m.memberId);
                LOG.info("Removing member {} of group {}: it did not rejoin in time", m.memberId, g.groupId);
            }
        }
        g.pendingMembers.clear();
        g.generationId++;
        if (g.members.isEmpty()) {
            g.protocolName = null;
            g.leaderId = null;
            g.transition(GroupState.EMPTY, now);
            int generation = g.generationId;
            out.add(() -> persistEmpty(g, generation));
            return;
        }
        if (g.leaderId == null || !g.members.containsKey(g.leaderId)) {
            g.leaderId = g.members.keySet().iterator().next();
        }
        g.protocolName = g.selectProtocol();
        g.transition(GroupState.COMPLETING_REBALANCE, now);
        g.syncDeadline = now + g.maxRebalanceTimeoutMs();
        for (GroupMember m : g.members.values()) {
            g.pendingSyncMembers.add(m.memberId);
            Consumer<JoinGroup.Result> cb = m.joinCallback;
            m.joinCallback = null;
            m.heartbeatDeadline = now + m.sessionTimeoutMs;
            reply(out, cb, joinResult(g, m));
        }
        LOG.info(
                "Group {} completed join of generation {} with {} members, protocol {}",
                g.groupId,
                g.generationId,
                g.members.size(),
                g.protocolName);
    }

    static JoinGroup.Result joinResult(Group g, GroupMember m) {
        List<JoinGroup.Member> members = List.of();
        if (m.memberId.equals(g.leaderId)) {
            members = new ArrayList<>();
            for (GroupMember other : g.members.values()) {
                members.add(
                        new JoinGroup.Member(other.memberId, other.groupInstanceId, other.metadata(g.protocolName)));
            }
        }
        return new JoinGroup.Result(
                GroupError.NONE, g.generationId, g.protocolType, g.protocolName, g.leaderId, m.memberId, members);
    }

    /** Takes the leader's assignment; the group becomes Stable once {@link #persistAssignment} wrote it. */
    void completeSync(Group g, Map<String, byte[]> assignments, List<Runnable> out) {
        for (GroupMember m : g.members.values()) {
            byte[] a = assignments.get(m.memberId);
            m.assignment = a == null ? EMPTY : a;
        }
        int generation = g.generationId;
        out.add(() -> persistAssignment(g, generation));
    }

    /**
     * Writes the group's record, then answers every waiting SyncGroup. Runs with no lock held. If the group
     * moved on meanwhile (a member left and the group rebalances), the waiting syncs were already answered
     * and only the record is written; a failed write leaves the group without assignment, CompletingRebalance,
     * and answers COORDINATOR_NOT_AVAILABLE, so the members rejoin.
     */
    void persistAssignment(Group g, int generation) {
        List<Runnable> out = new ArrayList<>();
        synchronized (table.writeLock) {
            GroupMetadataRecord record;
            synchronized (table.lock) {
                if (!isCurrent(g, generation) || !g.is(GroupState.COMPLETING_REBALANCE)) {
                    return;
                }
                record = g.toRecord(clock.millis());
            }
            boolean written = write(record);
            synchronized (table.lock) {
                if (isCurrent(g, generation) && g.is(GroupState.COMPLETING_REBALANCE)) {
                    finishSync(g, written, clock.millis(), out);
                }
            }
        }
        GroupTable.run(out);
    }

    private static void finishSync(Group g, boolean written, long now, List<Runnable> out) {
        if (written) {
            g.transition(GroupState.STABLE, now);
        }
        for (GroupMember m : g.members.values()) {
            if (!written) {
                m.assignment = EMPTY;
            }
            if (m.syncCallback != null) {
                reply(
                        out,
                        m.syncCallback,
                        written
                                ? new SyncGroup.Result(GroupError.NONE, g.protocolType, g.protocolName, m.assignment)
                                : SyncGroup.Result.error(GroupError.COORDINATOR_NOT_AVAILABLE));
                m.syncCallback = null;
            }
        }
    }

    /**
     * Writes the record of a group that became Empty in this generation. Runs with no lock held; losing this
     * record only means a restart shows the previous generation.
     */
    private void persistEmpty(Group g, int generation) {
        synchronized (table.writeLock) {
            GroupMetadataRecord record;
            synchronized (table.lock) {
                if (!isCurrent(g, generation) || !g.is(GroupState.EMPTY)) {
                    return;
                }
                record = g.toRecord(clock.millis());
            }
            write(record);
        }
    }

    private boolean write(GroupMetadataRecord record) {
        try {
            table.store.storeGroup(record);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not persist generation {} of group {}", record.generationId(), record.groupId(), e);
            return false;
        }
    }

    /** @return true while {@code g} is still the table's group of its id, in this generation; call under the lock */
    private boolean isCurrent(Group g, int generation) {
        return table.groups.get(g.groupId) == g && g.generationId == generation;
    }

    /**
     * Fires the group's timeouts that have passed: pending member ids never used, expired sessions,
     * rebalances whose time is up, members that never synced.
     */
    void fireTimeouts(Group g, long now, List<Runnable> out) {
        if (g.pendingMembers.values().removeIf(deadline -> deadline <= now)) {
            tryCompleteJoin(g, now, out);
        }
        for (GroupMember m : new ArrayList<>(g.members.values())) {
            if (!m.isAwaitingJoin()
                    && !m.isAwaitingSync()
                    && m.heartbeatDeadline <= now
                    && g.members.containsKey(m.memberId)) {
                LOG.info(
                        "Member {} of group {} timed out after {} ms without heartbeat",
                        m.memberId,
                        g.groupId,
                        m.sessionTimeoutMs);
                removeMember(g, m, GroupError.UNKNOWN_MEMBER_ID, now, out);
            }
        }
        if (g.is(GroupState.PREPARING_REBALANCE) && now >= g.rebalanceDeadline) {
            if (g.initialDelay) {
                g.initialDelay = false;
                g.rebalanceDeadline = g.initialDelayLimit;
                tryCompleteJoin(g, now, out);
            } else {
                completeJoin(g, now, out);
            }
        }
        if ((g.is(GroupState.COMPLETING_REBALANCE) || g.is(GroupState.STABLE))
                && !g.pendingSyncMembers.isEmpty()
                && now >= g.syncDeadline) {
            for (String id : new ArrayList<>(g.pendingSyncMembers)) {
                GroupMember m = g.members.get(id);
                if (m != null) {
                    LOG.info("Member {} of group {} did not sync in time", id, g.groupId);
                    removeMember(g, m, GroupError.UNKNOWN_MEMBER_ID, now, out);
                }
            }
            g.pendingSyncMembers.clear();
        }
    }

    /** Removes a member, answers its waiting request with {@code toWaiting}, and rebalances the rest. */
    void removeMember(Group g, GroupMember m, GroupError toWaiting, long now, List<Runnable> out) {
        g.members.remove(m.memberId);
        g.pendingSyncMembers.remove(m.memberId);
        if (m.joinCallback != null) {
            reply(out, m.joinCallback, JoinGroup.Result.error(toWaiting, m.memberId));
            m.joinCallback = null;
        }
        if (m.syncCallback != null) {
            reply(out, m.syncCallback, SyncGroup.Result.error(toWaiting));
            m.syncCallback = null;
        }
        if (m.memberId.equals(g.leaderId)) {
            g.leaderId = null;
            for (GroupMember other : g.members.values()) {
                if (other.isAwaitingJoin()) {
                    g.leaderId = other.memberId;
                    break;
                }
            }
        }
        switch (g.state) {
            case STABLE, COMPLETING_REBALANCE -> {
                prepare(g, now, out);
                tryCompleteJoin(g, now, out);
            }
            case PREPARING_REBALANCE -> tryCompleteJoin(g, now, out);
            default -> {}
        }
    }
}
