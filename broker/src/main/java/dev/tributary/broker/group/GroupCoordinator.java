package dev.tributary.broker.group;

import static dev.tributary.broker.group.GroupTable.reply;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic-protocol group coordinator: membership and generations of every group, as pure logic on our
 * own types. No network and no threads: requests come in as method calls, answers go out through callbacks
 * (JoinGroup and SyncGroup wait for other members, so they cannot return at once), time comes from the
 * injected {@link Clock}, and {@link #poll()} — called by the broker's scheduler every few hundred
 * milliseconds — fires the session, rebalance and join-delay timeouts. The state transitions of the
 * rebalance protocol are {@link Rebalancer}'s; committed offsets are the {@link OffsetManager}'s
 * ({@link #offsets()}); the admin APIs are {@link GroupAdmin}'s ({@link #admin()}); the state after a restart comes from {@link GroupLoader} ({@link #load}).
 *
 * <h2>Threads</h2>
 * Thread-safe: one lock guards all groups (group operations are rare next to produce and fetch), and what
 * must survive a restart is written to the {@link GroupStore} outside it, in the order {@link GroupTable}
 * describes. Callbacks run outside the lock.
 */
public final class GroupCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    private final GroupConfig config;
    private final Clock clock;
    private final GroupTable table;
    private final Object lock;
    private final Map<String, Group> groups;
    private final Rebalancer rebalancer;
    private final OffsetManager offsets;
    private final GroupAdmin admin;

    public GroupCoordinator(GroupConfig config, Clock clock, GroupStore store) {
        this.config = Objects.requireNonNull(config);
        this.clock = Objects.requireNonNull(clock);
        this.table = new GroupTable(Objects.requireNonNull(store));
        this.lock = table.lock;
        this.groups = table.groups;
        this.rebalancer = new Rebalancer(config, clock, table);
        this.offsets = new OffsetManager(config, clock, table);
        this.admin = new GroupAdmin(table, offsets);
    }

    /** OffsetCommit, OffsetFetch and OffsetDelete, on the same groups. */
    public OffsetManager offsets() {
        return offsets;
    }

    /** ListGroups, DescribeGroups and DeleteGroups, on the same groups. */
    public GroupAdmin admin() {
        return admin;
    }

    // ---------------------------------------------------------------- JoinGroup

    /** Handles JoinGroup; {@code callback} is called once, now or when the join phase completes. */
    public void joinGroup(JoinGroup.Request r, Consumer<JoinGroup.Result> callback) {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            doJoin(r, callback, clock.millis(), out);
        }
        GroupTable.run(out);
    }

    private void doJoin(JoinGroup.Request r, Consumer<JoinGroup.Result> cb, long now, List<Runnable> out) {
        String memberId = r.memberId() == null ? "" : r.memberId();
        if (r.groupId() == null || r.groupId().isEmpty()) {
            reply(out, cb, JoinGroup.Result.error(GroupError.INVALID_GROUP_ID, memberId));
            return;
        }
        if (r.sessionTimeoutMs() < config.minSessionTimeoutMs()
                || r.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
            reply(out, cb, JoinGroup.Result.error(GroupError.INVALID_SESSION_TIMEOUT, memberId));
            return;
        }
        boolean newMember = memberId.isEmpty();
        Group g = groups.get(r.groupId());
        if (g == null) {
            if (!newMember) {
                reply(out, cb, JoinGroup.Result.error(GroupError.UNKNOWN_MEMBER_ID, memberId));
                return;
            }
            g = new Group(r.groupId(), now);
            groups.put(r.groupId(), g);
        }
        if (g.is(GroupState.DEAD)) {
            reply(out, cb, JoinGroup.Result.error(GroupError.COORDINATOR_NOT_AVAILABLE, memberId));
            return;
        }
        if (!g.supportsProtocols(r.protocolType(), r.protocols())) {
            reply(out, cb, JoinGroup.Result.error(GroupError.INCONSISTENT_GROUP_PROTOCOL, memberId));
            return;
        }
        if (newMember) {
            joinNewMember(g, r, cb, now, out);
        } else {
            joinKnownMember(g, r, cb, now, out);
        }
    }

    private void joinNewMember(
            Group g, JoinGroup.Request r, Consumer<JoinGroup.Result> cb, long now, List<Runnable> out) {
        String clientId = r.clientId() == null || r.clientId().isEmpty() ? "member" : r.clientId();
        String memberId = clientId + "-" + UUID.randomUUID();
        GroupMember previous = g.memberByInstanceId(r.groupInstanceId());
        if (previous == null && g.members.size() + g.pendingMembers.size() >= config.maxGroupSize()) {
            reply(out, cb, JoinGroup.Result.error(GroupError.GROUP_MAX_SIZE_REACHED, ""));
            return;
        }
        if (previous != null) {
            // A static member restarted under a new member id: the old incarnation is fenced.
            rebalancer.removeMember(g, previous, GroupError.FENCED_INSTANCE_ID, now, out);
            addMemberAndRebalance(g, memberId, r, cb, now, out);
        } else if (r.requireKnownMemberId() && r.groupInstanceId() == null) {
            g.pendingMembers.put(memberId, now + r.sessionTimeoutMs());
            reply(out, cb, JoinGroup.Result.error(GroupError.MEMBER_ID_REQUIRED, memberId));
        } else {
            addMemberAndRebalance(g, memberId, r, cb, now, out);
        }
    }

    private void joinKnownMember(
            Group g, JoinGroup.Request r, Consumer<JoinGroup.Result> cb, long now, List<Runnable> out) {
        String memberId = r.memberId();
        if (g.pendingMembers.remove(memberId) != null) {
            addMemberAndRebalance(g, memberId, r, cb, now, out);
            return;
        }
        GroupMember m = g.members.get(memberId);
        if (m == null) {
            reply(out, cb, JoinGroup.Result.error(GroupError.UNKNOWN_MEMBER_ID, memberId));
            return;
        }
        if (isFenced(m, r.groupInstanceId())) {
            reply(out, cb, JoinGroup.Result.error(GroupError.FENCED_INSTANCE_ID, memberId));
            return;
        }
        switch (g.state) {
            case PREPARING_REBALANCE -> {
                updateMember(m, r, cb, now, out);
                rebalancer.tryCompleteJoin(g, now, out);
            }
            case COMPLETING_REBALANCE -> {
                if (m.sameProtocols(r.protocols())) {
                    // The member missed our join response (e.g. a retry): answer it again.
                    reply(out, cb, Rebalancer.joinResult(g, m));
                } else {
                    updateMember(m, r, cb, now, out);
                    rebalancer.prepare(g, now, out);
                }
            }
            case STABLE -> {
                if (memberId.equals(g.leaderId) || !m.sameProtocols(r.protocols())) {
                    // The leader rejoins when it sees metadata changes that need a new assignment.
                    updateMember(m, r, cb, now, out);
                    rebalancer.prepare(g, now, out);
                } else {
                    reply(out, cb, Rebalancer.joinResult(g, m));
                }
            }
            default -> reply(out, cb, JoinGroup.Result.error(GroupError.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    private void addMemberAndRebalance(
            Group g,
            String memberId,
            JoinGroup.Request r,
            Consumer<JoinGroup.Result> cb,
            long now,
            List<Runnable> out) {
        if (g.members.isEmpty()) {
            g.protocolType = r.protocolType();
        }
        GroupMember m = new GroupMember(
                memberId,
                r.groupInstanceId(),
                r.clientId(),
                r.clientHost(),
                r.sessionTimeoutMs(),
                r.rebalanceTimeoutMs(),
                List.copyOf(r.protocols()));
        m.joinCallback = cb;
        m.heartbeatDeadline = now + r.sessionTimeoutMs();
        g.members.put(memberId, m);
        if (g.is(GroupState.PREPARING_REBALANCE) && g.initialDelay) {
            g.rebalanceDeadline = Math.min(now + config.initialRebalanceDelayMs(), g.initialDelayLimit);
        }
        if (!g.is(GroupState.PREPARING_REBALANCE)) {
            rebalancer.prepare(g, now, out);
        }
        rebalancer.tryCompleteJoin(g, now, out);
    }

    private void updateMember(
            GroupMember m, JoinGroup.Request r, Consumer<JoinGroup.Result> cb, long now, List<Runnable> out) {
        if (m.joinCallback != null) {
            // A second JoinGroup while the first still waits: the client gave up on the first one.
            reply(out, m.joinCallback, JoinGroup.Result.error(GroupError.REBALANCE_IN_PROGRESS, m.memberId));
        }
        m.protocols = List.copyOf(r.protocols());
        m.sessionTimeoutMs = r.sessionTimeoutMs();
        m.rebalanceTimeoutMs = r.rebalanceTimeoutMs();
        m.joinCallback = cb;
        m.heartbeatDeadline = now + m.sessionTimeoutMs;
    }

    // ---------------------------------------------------------------- SyncGroup

    /** Handles SyncGroup; {@code callback} is called once, now or when the leader's assignment arrives. */
    public void syncGroup(SyncGroup.Request r, Consumer<SyncGroup.Result> callback) {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            doSync(r, callback, clock.millis(), out);
        }
        GroupTable.run(out);
    }

    private void doSync(SyncGroup.Request r, Consumer<SyncGroup.Result> cb, long now, List<Runnable> out) {
        Group g = groups.get(r.groupId());
        if (g == null) {
            reply(out, cb, SyncGroup.Result.error(GroupError.UNKNOWN_MEMBER_ID));
            return;
        }
        if (g.is(GroupState.DEAD)) {
            reply(out, cb, SyncGroup.Result.error(GroupError.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        GroupMember m = g.members.get(r.memberId());
        if (m == null) {
            reply(out, cb, SyncGroup.Result.error(GroupError.UNKNOWN_MEMBER_ID));
            return;
        }
        if (isFenced(m, r.groupInstanceId())) {
            reply(out, cb, SyncGroup.Result.error(GroupError.FENCED_INSTANCE_ID));
            return;
        }
        if (r.generationId() != g.generationId) {
            reply(out, cb, SyncGroup.Result.error(GroupError.ILLEGAL_GENERATION));
            return;
        }
        if ((r.protocolType() != null && !r.protocolType().equals(g.protocolType))
                || (r.protocolName() != null && !r.protocolName().equals(g.protocolName))) {
            reply(out, cb, SyncGroup.Result.error(GroupError.INCONSISTENT_GROUP_PROTOCOL));
            return;
        }
        switch (g.state) {
            case PREPARING_REBALANCE -> reply(out, cb, SyncGroup.Result.error(GroupError.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                m.syncCallback = cb;
                m.heartbeatDeadline = now + m.sessionTimeoutMs;
                g.pendingSyncMembers.remove(m.memberId);
                if (m.memberId.equals(g.leaderId)) {
                    rebalancer.completeSync(g, r.assignments(), out);
                }
            }
            case STABLE -> {
                g.pendingSyncMembers.remove(m.memberId);
                m.heartbeatDeadline = now + m.sessionTimeoutMs;
                reply(out, cb, new SyncGroup.Result(GroupError.NONE, g.protocolType, g.protocolName, m.assignment));
            }
            default -> reply(out, cb, SyncGroup.Result.error(GroupError.UNKNOWN_MEMBER_ID));
        }
    }

    // ---------------------------------------------------------------- Heartbeat, LeaveGroup

    /** Handles Heartbeat: renews the member's session and tells it whether a rebalance is under way. */
    public GroupError heartbeat(String groupId, String memberId, String groupInstanceId, int generationId) {
        synchronized (lock) {
            long now = clock.millis();
            Group g = groups.get(groupId);
            if (g == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (g.is(GroupState.DEAD)) {
                return GroupError.COORDINATOR_NOT_AVAILABLE;
            }
            GroupMember m = g.members.get(memberId);
            if (m == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (isFenced(m, groupInstanceId)) {
                return GroupError.FENCED_INSTANCE_ID;
            }
            if (generationId != g.generationId) {
                return GroupError.ILLEGAL_GENERATION;
            }
            m.heartbeatDeadline = now + m.sessionTimeoutMs;
            return switch (g.state) {
                case PREPARING_REBALANCE -> GroupError.REBALANCE_IN_PROGRESS;
                case COMPLETING_REBALANCE, STABLE -> GroupError.NONE;
                default -> GroupError.UNKNOWN_MEMBER_ID;
            };
        }
    }

    /** Handles LeaveGroup for one or more members (v3+ batches them; older versions send one). */
    public LeaveGroup.Result leaveGroup(String groupId, List<LeaveGroup.Identity> leaving) {
        List<Runnable> out = new ArrayList<>();
        LeaveGroup.Result result;
        synchronized (lock) {
            result = doLeave(groupId, leaving, clock.millis(), out);
        }
        GroupTable.run(out);
        return result;
    }

    private LeaveGroup.Result doLeave(String groupId, List<LeaveGroup.Identity> leaving, long now, List<Runnable> out) {
        Group g = groups.get(groupId);
        List<LeaveGroup.MemberResult> results = new ArrayList<>();
        if (g == null || g.is(GroupState.DEAD)) {
            GroupError top = g == null ? GroupError.NONE : GroupError.COORDINATOR_NOT_AVAILABLE;
            for (LeaveGroup.Identity id : leaving) {
                results.add(
                        new LeaveGroup.MemberResult(id.memberId(), id.groupInstanceId(), GroupError.UNKNOWN_MEMBER_ID));
            }
            return new LeaveGroup.Result(top, results);
        }
        for (LeaveGroup.Identity id : leaving) {
            String memberId = id.memberId() == null ? "" : id.memberId();
            GroupError error = GroupError.NONE;
            GroupMember m;
            if (memberId.isEmpty() && id.groupInstanceId() != null) {
                m = g.memberByInstanceId(id.groupInstanceId());
                if (m == null) {
                    error = GroupError.UNKNOWN_MEMBER_ID;
                }
            } else if (g.pendingMembers.remove(memberId) != null) {
                m = null;
                rebalancer.tryCompleteJoin(g, now, out);
            } else {
                m = g.members.get(memberId);
                if (m == null) {
                    error = GroupError.UNKNOWN_MEMBER_ID;
                } else if (isFenced(m, id.groupInstanceId())) {
                    error = GroupError.FENCED_INSTANCE_ID;
                    m = null;
                }
            }
            if (m != null) {
                LOG.info("Member {} leaves group {}", m.memberId, g.groupId);
                rebalancer.removeMember(g, m, GroupError.UNKNOWN_MEMBER_ID, now, out);
            }
            results.add(new LeaveGroup.MemberResult(memberId, id.groupInstanceId(), error));
        }
        return new LeaveGroup.Result(GroupError.NONE, results);
    }

    private static boolean isFenced(GroupMember m, String groupInstanceId) {
        return m.groupInstanceId != null && !m.groupInstanceId.equals(groupInstanceId);
    }

    // ---------------------------------------------------------------- timeouts and loading

    /**
     * Fires every timeout that has passed: pending member ids never used, expired sessions, rebalances
     * whose time is up, members that never synced, and offsets of empty groups past retention.
     */
    public void poll() {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            long now = clock.millis();
            for (Group g : new ArrayList<>(groups.values())) {
                rebalancer.fireTimeouts(g, now, out);
            }
        }
        GroupTable.run(out);
        offsets.expire();
    }

    /**
     * This node no longer coordinates these groups (a cluster node lost the leadership of their partition):
     * answers every waiting JoinGroup and SyncGroup with {@code NOT_COORDINATOR}, so that the members look up the
     * new coordinator. The caller drops this coordinator afterwards (its groups are in the log, which the next
     * coordinator reads); the groups stay in its table, since a request still running on it may apply a write it
     * planned (that write fails, as this node no longer leads the partition).
     */
    public void unload() {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            for (Group g : groups.values()) {
                for (GroupMember m : g.members.values()) {
                    if (m.joinCallback != null) {
                        reply(out, m.joinCallback, JoinGroup.Result.error(GroupError.NOT_COORDINATOR, m.memberId));
                        m.joinCallback = null;
                    }
                    if (m.syncCallback != null) {
                        reply(out, m.syncCallback, SyncGroup.Result.error(GroupError.NOT_COORDINATOR));
                        m.syncCallback = null;
                    }
                }
            }
        }
        GroupTable.run(out);
    }

    /** Replaces the coordinator's state with what {@link GroupLoader#read} found in the store at startup. */
    public void load(GroupLoader.Loaded loaded) {
        synchronized (lock) {
            GroupLoader.install(loaded, groups, clock.millis());
        }
    }
}
