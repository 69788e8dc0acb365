package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One group's state: members, generation, chosen protocol, pending joins and its committed offsets.
 * Mutable; guarded by the coordinator's lock. Decisions that only read this state (protocol selection,
 * whether the join phase is complete) live here; transitions live in {@link Rebalancer}.
 */
final class Group {

    final String groupId;
    GroupState state = GroupState.EMPTY;
    long stateTimestamp;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    /** Members in join order; the first one becomes leader when there is none. */
    final Map<String, GroupMember> members = new LinkedHashMap<>();
    /** Members that got MEMBER_ID_REQUIRED and have until the deadline to join with their id. */
    final Map<String, Long> pendingMembers = new HashMap<>();
    /** Members that got a JoinGroup response in this generation but have not sent SyncGroup yet. */
    final Set<String> pendingSyncMembers = new HashSet<>();

    long rebalanceDeadline;
    /** While true, the first join of an empty group waits for more members (initial rebalance delay). */
    boolean initialDelay;

    long initialDelayLimit;
    long syncDeadline;
    final Map<PartitionId, CommittedOffset> offsets = new TreeMap<>();

    Group(String groupId, long now) {
        this.groupId = groupId;
        this.stateTimestamp = now;
    }

    void transition(GroupState next, long now) {
        state = next;
        stateTimestamp = now;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    GroupMember memberByInstanceId(String instanceId) {
        if (instanceId == null) {
            return null;
        }
        for (GroupMember m : members.values()) {
            if (instanceId.equals(m.groupInstanceId)) {
                return m;
            }
        }
        return null;
    }

    /**
     * @return true when a member with these protocols may join: an empty group takes any non-empty list,
     *         otherwise the type must match and one protocol must be supported by every member
     */
    boolean supportsProtocols(String type, List<JoinGroup.Protocol> protocols) {
        if (type == null || type.isEmpty() || protocols.isEmpty()) {
            return false;
        }
        if (members.isEmpty()) {
            return true;
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        for (JoinGroup.Protocol p : protocols) {
            if (members.values().stream().allMatch(m -> m.supports(p.name()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Chooses the protocol as Kafka does: among protocols every member supports, each member votes for
     * the first one in its own preference order; the most votes win, ties go to the leader's preference.
     */
    String selectProtocol() {
        List<String> candidates = new ArrayList<>();
        GroupMember any = members.values().iterator().next();
        for (JoinGroup.Protocol p : any.protocols) {
            if (members.values().stream().allMatch(m -> m.supports(p.name()))) {
                candidates.add(p.name());
            }
        }
        Map<String, Integer> votes = new HashMap<>();
        for (GroupMember m : members.values()) {
            for (JoinGroup.Protocol p : m.protocols) {
                if (candidates.contains(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        GroupMember leader = leaderId == null ? any : members.getOrDefault(leaderId, any);
        for (JoinGroup.Protocol p : leader.protocols) {
            int v = votes.getOrDefault(p.name(), 0);
            if (v > 0 && (best == null || v > votes.get(best))) {
                best = p.name();
            }
        }
        return best;
    }

    boolean allMembersJoined() {
        return pendingMembers.isEmpty() && members.values().stream().allMatch(GroupMember::isAwaitingJoin);
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (GroupMember m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    GroupMetadataRecord toRecord(long now) {
        List<GroupMetadataRecord.Member> ms = new ArrayList<>();
        for (GroupMember m : members.values()) {
            byte[] sub = protocolName == null ? null : m.metadata(protocolName);
            ms.add(new GroupMetadataRecord.Member(
                    m.memberId,
                    m.groupInstanceId,
                    m.clientId,
                    m.clientHost,
                    m.rebalanceTimeoutMs,
                    m.sessionTimeoutMs,
                    sub == null ? new byte[0] : sub,
                    m.assignment));
        }
        return new GroupMetadataRecord(
                groupId, protocolType == null ? "" : protocolType, generationId, protocolName, leaderId, now, ms);
    }

    /** DescribeGroups' view: member metadata only once a protocol is chosen, assignments only when Stable, as Kafka. */
    GroupDescription describe() {
        boolean settled = is(GroupState.STABLE) || is(GroupState.COMPLETING_REBALANCE);
        List<GroupDescription.MemberDescription> described = new ArrayList<>();
        for (GroupMember m : members.values()) {
            byte[] metadata = settled && protocolName != null ? m.metadata(protocolName) : null;
            described.add(new GroupDescription.MemberDescription(
                    m.memberId,
                    m.groupInstanceId,
                    m.clientId,
                    m.clientHost,
                    metadata == null ? Rebalancer.EMPTY : metadata,
                    is(GroupState.STABLE) ? m.assignment : Rebalancer.EMPTY));
        }
        String protocol = settled && protocolName != null ? protocolName : "";
        return new GroupDescription(groupId, state, protocolType == null ? "" : protocolType, protocol, described);
    }
}
