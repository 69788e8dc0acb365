package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The classic-protocol group coordinator: membership, generations and committed offsets of every group,
 * as pure logic on our own types. No network and no threads: requests come in as method calls, answers go
 * out through callbacks (JoinGroup and SyncGroup wait for other members, so they cannot return at once),
 * time comes from the injected {@link Clock}, and {@link #poll()} — called by the broker's scheduler every
 * few hundred milliseconds — fires the session, rebalance and join-delay timeouts. What must survive a
 * restart goes to a {@link GroupStore}.
 *
 * <h2>Rebalance protocol (Kafka's classic protocol)</h2>
 * <ol>
 *   <li>A member joins. From JoinGroup v4 a member without id is given one with MEMBER_ID_REQUIRED and
 *       must join again with it. The group moves to PreparingRebalance and waits for every known member
 *       to (re)join — members learn of the rebalance from REBALANCE_IN_PROGRESS on their heartbeat — or
 *       for the largest rebalance timeout of its members; members that did not rejoin by then are removed.
 *       The first rebalance of an empty group additionally waits {@code group.initial.rebalance.delay.ms},
 *       extended with each new member up to the rebalance timeout.</li>
 *   <li>Join completes: the generation id increases, a protocol is chosen ({@link Group#selectProtocol}),
 *       the leader receives all members' subscriptions, the others an empty list. CompletingRebalance.</li>
 *   <li>The leader's SyncGroup carries every member's assignment; it is persisted and all waiting
 *       SyncGroups are answered. Stable. Members that do not send SyncGroup within the rebalance timeout
 *       are removed, which starts another rebalance.</li>
 *   <li>A member that leaves, or whose heartbeats stop for its session timeout, is removed and the group
 *       rebalances; when the last member goes the group becomes Empty but keeps its offsets.</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * Thread-safe: one lock guards all groups (group operations are rare next to produce and fetch). Callbacks
 * and store writes run after the state change; callbacks run outside the lock, so a callback that hands a
 * response to the network layer cannot deadlock with it.
 */
public final class GroupCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);
    private static final byte[] EMPTY = new byte[0];

    private final GroupConfig config;
    private final Clock clock;
    private final GroupStore store;
    private final Object lock = new Object();
    private final Map<String, Group> groups = new HashMap<>();

    public GroupCoordinator(GroupConfig config, Clock clock, GroupStore store) {
        this.config = Objects.requireNonNull(config);
        this.clock = Objects.requireNonNull(clock);
        this.store = Objects.requireNonNull(store);
    }

    // ---------------------------------------------------------------- JoinGroup

    /** Handles JoinGroup; {@code callback} is called once, now or when the join phase completes. */
    public void joinGroup(JoinGroup.Request r, Consumer<JoinGroup.Result> callback) {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            doJoin(r, callback, clock.millis(), out);
        }
        run(out);
    }

    private void doJoin(JoinGroup.Request r, Consumer<JoinGroup.Result> cb, long now, List<Runnable> out) {
        String memberId = r.memberId() == null ? "" : r.memberId();
        if (r.groupId() == null || r.groupId().isEmpty()) {
            reply(out, cb, JoinGroup.Result.error(GroupError.INVALID_GROUP_ID, memberId));
            return;
        }
        if (r.sessionTimeoutMs() < config.minSessionTimeoutMs() || r.sessionTimeoutMs() > config.maxSessionTimeoutMs()) {
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

    private void joinNewMember(Group g, JoinGroup.Request r, Consumer<JoinGroup.Result> cb, long now, List<Runnable> out) {
        String clientId = r.clientId() == null || r.clientId().isEmpty() ? "member" : r.clientId();
        String memberId = clientId + "-" + UUID.randomUUID();
        GroupMember previous = g.memberByInstanceId(r.groupInstanceId());
        if (previous == null && g.members.size() + g.pendingMembers.size() >= config.maxGroupSize()) {
            reply(out, cb, JoinGroup.Result.error(GroupError.GROUP_MAX_SIZE_REACHED, ""));
            return;
        }
        if (previous != null) {
            // A static member restarted under a new member id: the old incarnation is fenced.
            removeMember(g, previous, GroupError.FENCED_INSTANCE_ID, now, out);
            addMemberAndRebalance(g, memberId, r, cb, now, out);
        } else if (r.requireKnownMemberId() && r.groupInstanceId() == null) {
            g.pendingMembers.put(memberId, now + r.sessionTimeoutMs());
            reply(out, cb, JoinGroup.Result.error(GroupError.MEMBER_ID_REQUIRED, memberId));
        } else {
            addMemberAndRebalance(g, memberId, r, cb, now, out);
        }
    }

    private void joinKnownMember(Group g, JoinGroup.Request r, Consumer<JoinGroup.Result> cb, long now, List<Runnable> out) {
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
                tryCompleteJoin(g, now, out);
            }
            case COMPLETING_REBALANCE -> {
                if (m.sameProtocols(r.protocols())) {
                    // The member missed our join response (e.g. a retry): answer it again.
                    reply(out, cb, joinResult(g, m));
                } else {
                    updateMember(m, r, cb, now, out);
                    prepareRebalance(g, now, out);
                }
            }
            case STABLE -> {
                if (memberId.equals(g.leaderId) || !m.sameProtocols(r.protocols())) {
                    // The leader rejoins when it sees metadata changes that need a new assignment.
                    updateMember(m, r, cb, now, out);
                    prepareRebalance(g, now, out);
                } else {
                    reply(out, cb, joinResult(g, m));
                }
            }
            default -> reply(out, cb, JoinGroup.Result.error(GroupError.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    private void addMemberAndRebalance(Group g, String memberId, JoinGroup.Request r, Consumer<JoinGroup.Result> cb,
                                       long now, List<Runnable> out) {
        if (g.members.isEmpty()) {
            g.protocolType = r.protocolType();
        }
        GroupMember m = new GroupMember(memberId, r.groupInstanceId(), r.clientId(), r.clientHost(),
                r.sessionTimeoutMs(), r.rebalanceTimeoutMs(), List.copyOf(r.protocols()));
        m.joinCallback = cb;
        m.heartbeatDeadline = now + r.sessionTimeoutMs();
        g.members.put(memberId, m);
        if (g.is(GroupState.PREPARING_REBALANCE) && g.initialDelay) {
            g.rebalanceDeadline = Math.min(now + config.initialRebalanceDelayMs(), g.initialDelayLimit);
        }
        if (!g.is(GroupState.PREPARING_REBALANCE)) {
            prepareRebalance(g, now, out);
        }
        tryCompleteJoin(g, now, out);
    }

    private void updateMember(GroupMember m, JoinGroup.Request r, Consumer<JoinGroup.Result> cb, long now,
                              List<Runnable> out) {
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

    private void prepareRebalance(Group g, long now, List<Runnable> out) {
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

    private void tryCompleteJoin(Group g, long now, List<Runnable> out) {
        if (g.is(GroupState.PREPARING_REBALANCE)
                && (g.members.isEmpty() || (!g.initialDelay && g.allMembersJoined()))) {
            completeJoin(g, now, out);
        }
    }

    private void completeJoin(Group g, long now, List<Runnable> out) {
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
            persistGroup(g, now);
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
        LOG.info("Group {} completed join of generation {} with {} members, protocol {}",
                g.groupId, g.generationId, g.members.size(), g.protocolName);
    }

    private static JoinGroup.Result joinResult(Group g, GroupMember m) {
        List<JoinGroup.Member> members = List.of();
        if (m.memberId.equals(g.leaderId)) {
            members = new ArrayList<>();
            for (GroupMember other : g.members.values()) {
                members.add(new JoinGroup.Member(other.memberId, other.groupInstanceId, other.metadata(g.protocolName)));
            }
        }
        return new JoinGroup.Result(GroupError.NONE, g.generationId, g.protocolType, g.protocolName, g.leaderId,
                m.memberId, members);
    }

    // ---------------------------------------------------------------- SyncGroup

    /** Handles SyncGroup; {@code callback} is called once, now or when the leader's assignment arrives. */
    public void syncGroup(SyncGroup.Request r, Consumer<SyncGroup.Result> callback) {
        List<Runnable> out = new ArrayList<>();
        synchronized (lock) {
            doSync(r, callback, clock.millis(), out);
        }
        run(out);
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
                    completeSync(g, r.assignments(), now, out);
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

    private void completeSync(Group g, Map<String, byte[]> assignments, long now, List<Runnable> out) {
        for (GroupMember m : g.members.values()) {
            byte[] a = assignments.get(m.memberId);
            m.assignment = a == null ? EMPTY : a;
        }
        try {
            store.storeGroup(g.toRecord(now));
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not persist generation {} of group {}", g.generationId, g.groupId, e);
            for (GroupMember m : g.members.values()) {
                m.assignment = EMPTY;
                if (m.syncCallback != null) {
                    reply(out, m.syncCallback, SyncGroup.Result.error(GroupError.COORDINATOR_NOT_AVAILABLE));
                    m.syncCallback = null;
                }
            }
            return;
        }
        g.transition(GroupState.STABLE, now);
        for (GroupMember m : g.members.values()) {
            if (m.syncCallback != null) {
                reply(out, m.syncCallback, new SyncGroup.Result(GroupError.NONE, g.protocolType, g.protocolName, m.assignment));
                m.syncCallback = null;
            }
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
        run(out);
        return result;
    }

    private LeaveGroup.Result doLeave(String groupId, List<LeaveGroup.Identity> leaving, long now, List<Runnable> out) {
        Group g = groups.get(groupId);
        List<LeaveGroup.MemberResult> results = new ArrayList<>();
        if (g == null || g.is(GroupState.DEAD)) {
            GroupError top = g == null ? GroupError.NONE : GroupError.COORDINATOR_NOT_AVAILABLE;
            for (LeaveGroup.Identity id : leaving) {
                results.add(new LeaveGroup.MemberResult(id.memberId(), id.groupInstanceId(), GroupError.UNKNOWN_MEMBER_ID));
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
                tryCompleteJoin(g, now, out);
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
                removeMember(g, m, GroupError.UNKNOWN_MEMBER_ID, now, out);
            }
            results.add(new LeaveGroup.MemberResult(memberId, id.groupInstanceId(), error));
        }
        return new LeaveGroup.Result(GroupError.NONE, results);
    }

    private void removeMember(Group g, GroupMember m, GroupError toWaiting, long now, List<Runnable> out) {
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
                prepareRebalance(g, now, out);
                tryCompleteJoin(g, now, out);
            }
            case PREPARING_REBALANCE -> tryCompleteJoin(g, now, out);
            default -> {
            }
        }
    }

    private void persistGroup(Group g, long now) {
        try {
            store.storeGroup(g.toRecord(now));
        } catch (IOException | RuntimeException e) {
            // The group is empty; losing this record only means a restart shows the previous generation.
            LOG.error("Could not persist group {} in generation {}", g.groupId, g.generationId, e);
        }
    }

    private static boolean isFenced(GroupMember m, String groupInstanceId) {
        return m.groupInstanceId != null && !m.groupInstanceId.equals(groupInstanceId);
    }

    // ---------------------------------------------------------------- offsets

    /**
     * Handles OffsetCommit. A commit with generation -1 and no member id is a "simple" commit from a
     * consumer that assigns partitions itself (Flink, Spark); it is allowed while the group has no
     * members, and creates the group if needed.
     *
     * @return the outcome per partition
     */
    public Map<PartitionId, GroupError> commitOffsets(String groupId, String memberId, String groupInstanceId,
                                                          int generationId, Map<PartitionId, CommittedOffset> offsets) {
        synchronized (lock) {
            long now = clock.millis();
            GroupError error = checkCommit(groupId, memberId, groupInstanceId, generationId, now);
            Map<PartitionId, GroupError> result = new LinkedHashMap<>();
            if (error != GroupError.NONE) {
                offsets.keySet().forEach(tp -> result.put(tp, error));
                return result;
            }
            Group g = groups.computeIfAbsent(groupId, id -> new Group(id, now));
            Map<PartitionId, CommittedOffset> accepted = new LinkedHashMap<>();
            for (Map.Entry<PartitionId, CommittedOffset> e : offsets.entrySet()) {
                CommittedOffset o = e.getValue();
                if (o.metadata().length() > config.offsetMetadataMaxBytes()) {
                    result.put(e.getKey(), GroupError.OFFSET_METADATA_TOO_LARGE);
                } else {
                    accepted.put(e.getKey(), new CommittedOffset(o.offset(), o.leaderEpoch(), o.metadata(), now));
                    result.put(e.getKey(), GroupError.NONE);
                }
            }
            if (!accepted.isEmpty()) {
                try {
                    store.storeOffsets(groupId, accepted);
                } catch (IOException | RuntimeException e) {
                    LOG.error("Could not persist offsets of group {}", groupId, e);
                    accepted.keySet().forEach(tp -> result.put(tp, GroupError.COORDINATOR_NOT_AVAILABLE));
                    return result;
                }
                g.offsets.putAll(accepted);
            }
            return result;
        }
    }

    private GroupError checkCommit(String groupId, String memberId, String instanceId, int generationId, long now) {
        if (groupId == null || groupId.isEmpty()) {
            return GroupError.INVALID_GROUP_ID;
        }
        Group g = groups.get(groupId);
        if (g == null) {
            return generationId < 0 ? GroupError.NONE : GroupError.ILLEGAL_GENERATION;
        }
        if (g.is(GroupState.DEAD)) {
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        }
        GroupMember byInstance = g.memberByInstanceId(instanceId);
        if (byInstance != null && !byInstance.memberId.equals(memberId)) {
            return GroupError.FENCED_INSTANCE_ID;
        }
        if (generationId < 0 && g.is(GroupState.EMPTY)) {
            return GroupError.NONE;
        }
        GroupMember m = g.members.get(memberId);
        if (m == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (generationId != g.generationId) {
            return GroupError.ILLEGAL_GENERATION;
        }
        if (g.is(GroupState.COMPLETING_REBALANCE)) {
            return GroupError.REBALANCE_IN_PROGRESS;
        }
        m.heartbeatDeadline = now + m.sessionTimeoutMs;
        return GroupError.NONE;
    }

    /**
     * Handles OffsetFetch.
     *
     * @param partitions the partitions asked for, or null for all the group has
     * @return the committed offsets; partitions without one are absent
     */
    public Map<PartitionId, CommittedOffset> fetchOffsets(String groupId, Collection<PartitionId> partitions) {
        synchronized (lock) {
            Group g = groups.get(groupId);
            Map<PartitionId, CommittedOffset> result = new LinkedHashMap<>();
            if (g == null) {
                return result;
            }
            if (partitions == null) {
                result.putAll(g.offsets);
            } else {
                for (PartitionId tp : partitions) {
                    CommittedOffset o = g.offsets.get(tp);
                    if (o != null) {
                        result.put(tp, o);
                    }
                }
            }
            return result;
        }
    }

    /** The outcome of OffsetDelete: a request-level error, else one per partition. */
    public record OffsetDeleteResult(GroupError error, Map<PartitionId, GroupError> partitions) {
    }

    /**
     * Handles OffsetDelete: removes committed offsets, except those of topics a member of the group is
     * still subscribed to (GROUP_SUBSCRIBED_TO_TOPIC), as Kafka does.
     */
    public OffsetDeleteResult deleteOffsets(String groupId, Collection<PartitionId> partitions) {
        synchronized (lock) {
            Group g = groups.get(groupId);
            if (g == null || g.is(GroupState.DEAD)) {
                return new OffsetDeleteResult(GroupError.GROUP_ID_NOT_FOUND, Map.of());
            }
            Set<String> subscribed = new java.util.HashSet<>();
            boolean everything = false;
            if ("consumer".equals(g.protocolType) && g.protocolName != null) {
                for (GroupMember m : g.members.values()) {
                    Set<String> topics = ConsumerSubscription.topics(m.metadata(g.protocolName));
                    if (topics == null) {
                        everything = true;
                    } else {
                        subscribed.addAll(topics);
                    }
                }
            } else if (!g.members.isEmpty()) {
                everything = true; // a non-consumer protocol we cannot read: assume it uses every topic
            }
            Map<PartitionId, GroupError> result = new LinkedHashMap<>();
            List<PartitionId> removable = new ArrayList<>();
            for (PartitionId tp : partitions) {
                if (everything || subscribed.contains(tp.topic())) {
                    result.put(tp, GroupError.GROUP_SUBSCRIBED_TO_TOPIC);
                } else {
                    result.put(tp, GroupError.NONE);
                    if (g.offsets.containsKey(tp)) {
                        removable.add(tp);
                    }
                }
            }
            try {
                store.deleteOffsets(groupId, removable);
            } catch (IOException | RuntimeException e) {
                LOG.error("Could not persist deletion of offsets of group {}", groupId, e);
                return new OffsetDeleteResult(GroupError.COORDINATOR_NOT_AVAILABLE, Map.of());
            }
            removable.forEach(g.offsets::remove);
            return new OffsetDeleteResult(GroupError.NONE, result);
        }
    }

    // ---------------------------------------------------------------- admin

    /** Handles ListGroups; an empty state filter lists all groups. */
    public List<GroupOverview> listGroups(Set<GroupState> states) {
        synchronized (lock) {
            List<GroupOverview> result = new ArrayList<>();
            for (Group g : groups.values()) {
                if (states.isEmpty() || states.contains(g.state)) {
                    result.add(new GroupOverview(g.groupId, g.protocolType == null ? "" : g.protocolType, g.state));
                }
            }
            result.sort((a, b) -> a.groupId().compareTo(b.groupId()));
            return result;
        }
    }

    /** Handles DescribeGroups for one group; empty when the coordinator does not know it. */
    public Optional<GroupDescription> describeGroup(String groupId) {
        synchronized (lock) {
            Group g = groups.get(groupId);
            if (g == null) {
                return Optional.empty();
            }
            List<GroupDescription.MemberDescription> members = new ArrayList<>();
            for (GroupMember m : g.members.values()) {
                // Kafka leaves member metadata out while a rebalance is running; so do we.
                boolean settled = g.is(GroupState.STABLE) || g.is(GroupState.COMPLETING_REBALANCE);
                byte[] metadata = settled && g.protocolName != null ? m.metadata(g.protocolName) : null;
                members.add(new GroupDescription.MemberDescription(m.memberId, m.groupInstanceId, m.clientId,
                        m.clientHost, metadata == null ? EMPTY : metadata, g.is(GroupState.STABLE) ? m.assignment : EMPTY));
            }
            String protocol = g.is(GroupState.STABLE) || g.is(GroupState.COMPLETING_REBALANCE) ? g.protocolName : "";
            return Optional.of(new GroupDescription(g.groupId, g.state, g.protocolType == null ? "" : g.protocolType,
                    protocol == null ? "" : protocol, members));
        }
    }

    /** Handles DeleteGroups: only groups without members can be deleted; their offsets go with them. */
    public Map<String, GroupError> deleteGroups(List<String> groupIds) {
        synchronized (lock) {
            Map<String, GroupError> result = new LinkedHashMap<>();
            for (String id : groupIds) {
                Group g = groups.get(id);
                if (g == null || g.is(GroupState.DEAD)) {
                    result.put(id, GroupError.GROUP_ID_NOT_FOUND);
                } else if (!g.is(GroupState.EMPTY)) {
                    result.put(id, GroupError.NON_EMPTY_GROUP);
                } else {
                    try {
                        store.deleteGroup(id, new ArrayList<>(g.offsets.keySet()));
                    } catch (IOException | RuntimeException e) {
                        LOG.error("Could not persist deletion of group {}", id, e);
                        result.put(id, GroupError.COORDINATOR_NOT_AVAILABLE);
                        continue;
                    }
                    g.transition(GroupState.DEAD, clock.millis());
                    groups.remove(id);
                    result.put(id, GroupError.NONE);
                }
            }
            return result;
        }
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
                expire(g, now, out);
            }
        }
        run(out);
    }

    private void expire(Group g, long now, List<Runnable> out) {
        if (g.pendingMembers.values().removeIf(deadline -> deadline <= now)) {
            tryCompleteJoin(g, now, out);
        }
        for (GroupMember m : new ArrayList<>(g.members.values())) {
            if (!m.isAwaitingJoin() && !m.isAwaitingSync() && m.heartbeatDeadline <= now && g.members.containsKey(m.memberId)) {
                LOG.info("Member {} of group {} timed out after {} ms without heartbeat", m.memberId, g.groupId,
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
                && !g.pendingSyncMembers.isEmpty() && now >= g.syncDeadline) {
            for (String id : new ArrayList<>(g.pendingSyncMembers)) {
                GroupMember m = g.members.get(id);
                if (m != null) {
                    LOG.info("Member {} of group {} did not sync in time", id, g.groupId);
                    removeMember(g, m, GroupError.UNKNOWN_MEMBER_ID, now, out);
                }
            }
            g.pendingSyncMembers.clear();
        }
        if (g.is(GroupState.EMPTY) && now - g.stateTimestamp >= config.offsetsRetentionMs()) {
            expireOffsets(g, now);
        }
    }

    private void expireOffsets(Group g, long now) {
        List<PartitionId> expired = new ArrayList<>();
        g.offsets.forEach((tp, o) -> {
            if (now - o.commitTimestamp() >= config.offsetsRetentionMs()) {
                expired.add(tp);
            }
        });
        try {
            if (expired.size() == g.offsets.size()) {
                store.deleteGroup(g.groupId, expired);
                g.transition(GroupState.DEAD, now);
                groups.remove(g.groupId);
                LOG.info("Group {} removed: empty and its offsets expired", g.groupId);
            } else if (!expired.isEmpty()) {
                store.deleteOffsets(g.groupId, expired);
                expired.forEach(g.offsets::remove);
            }
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not expire offsets of group {}", g.groupId, e);
        }
    }

    /**
     * Deletes committed offsets of topics that no longer exist (Kafka drops them when a topic is
     * deleted). Called from the broker's scheduler.
     *
     * @return how many offsets were removed
     */
    public int removeOffsetsOfDeletedTopics(java.util.function.Predicate<String> topicExists) {
        synchronized (lock) {
            int removed = 0;
            Map<String, Boolean> exists = new HashMap<>();
            for (Group g : groups.values()) {
                List<PartitionId> gone = new ArrayList<>();
                for (PartitionId tp : g.offsets.keySet()) {
                    if (!exists.computeIfAbsent(tp.topic(), topicExists::test)) {
                        gone.add(tp);
                    }
                }
                if (gone.isEmpty()) {
                    continue;
                }
                try {
                    store.deleteOffsets(g.groupId, gone);
                } catch (IOException | RuntimeException e) {
                    LOG.error("Could not remove offsets of deleted topics from group {}", g.groupId, e);
                    continue;
                }
                gone.forEach(g.offsets::remove);
                removed += gone.size();
                LOG.info("Removed {} committed offsets of deleted topics from group {}", gone.size(), g.groupId);
            }
            return removed;
        }
    }

    /**
     * Replaces the coordinator's state with what was read back from the store at startup. Groups that had
     * members come back Stable in their generation, so running consumers keep heartbeating and committing
     * without a rebalance; members that do not heartbeat within their session timeout are removed.
     */
    public void load(Collection<GroupMetadataRecord> records, Map<String, Map<PartitionId, CommittedOffset>> offsets) {
        synchronized (lock) {
            long now = clock.millis();
            groups.clear();
            for (GroupMetadataRecord r : records) {
                Group g = new Group(r.groupId(), r.stateTimestamp());
                g.generationId = r.generationId();
                g.protocolType = r.protocolType().isEmpty() ? null : r.protocolType();
                g.protocolName = r.protocolName();
                g.leaderId = r.leaderId();
                for (GroupMetadataRecord.Member m : r.members()) {
                    List<JoinGroup.Protocol> protocols = r.protocolName() == null ? List.of()
                            : List.of(new JoinGroup.Protocol(r.protocolName(), m.subscription()));
                    GroupMember gm = new GroupMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                            m.sessionTimeoutMs(), m.rebalanceTimeoutMs(), protocols);
                    gm.assignment = m.assignment();
                    gm.heartbeatDeadline = now + m.sessionTimeoutMs();
                    g.members.put(gm.memberId, gm);
                }
                g.state = g.members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
                groups.put(g.groupId, g);
            }
            offsets.forEach((groupId, byPartition) -> {
                Group g = groups.computeIfAbsent(groupId, id -> new Group(id, now));
                g.offsets.putAll(byPartition);
            });
        }
    }

    private static <T> void reply(List<Runnable> out, Consumer<T> callback, T result) {
        out.add(() -> callback.accept(result));
    }

    private static void run(List<Runnable> out) {
        for (Runnable r : out) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.error("Group response callback failed", e);
            }
        }
    }
}
