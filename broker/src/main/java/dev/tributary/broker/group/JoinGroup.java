package dev.tributary.broker.group;

import java.util.List;

/** The JoinGroup exchange in the coordinator's own types. */
public final class JoinGroup {

    private JoinGroup() {}

    /** One assignment protocol a member supports, with its opaque subscription metadata. */
    public record Protocol(String name, byte[] metadata) {}

    /**
     * @param memberId             empty on a member's first join
     * @param groupInstanceId      static membership id, or null
     * @param requireKnownMemberId true from JoinGroup v4: a new member first gets MEMBER_ID_REQUIRED with
     *                             its id and must join again with it, so a member that never comes back
     *                             leaves no trace in the group
     */
    public record Request(
            String groupId,
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int sessionTimeoutMs,
            int rebalanceTimeoutMs,
            String protocolType,
            List<Protocol> protocols,
            boolean requireKnownMemberId) {}

    /** A member as the leader sees it in its JoinGroup response. */
    public record Member(String memberId, String groupInstanceId, byte[] metadata) {}

    /**
     * @param members the group's members with their metadata for the chosen protocol; only the leader
     *                gets them, the others get an empty list
     */
    public record Result(
            GroupError error,
            int generationId,
            String protocolType,
            String protocolName,
            String leaderId,
            String memberId,
            List<Member> members) {

        public static Result error(GroupError error, String memberId) {
            return new Result(error, -1, null, null, "", memberId, List.of());
        }
    }
}
