package dev.tributary.broker.group;

import java.util.List;

/**
 * A group's membership as persisted after each completed generation (and when it becomes empty), so a
 * restarted broker knows the generation its consumers are in and keeps serving their heartbeats and
 * commits without a rebalance.
 *
 * @param protocolType   e.g. {@code consumer}; empty for a group that only stores offsets
 * @param protocolName   the chosen assignor, or null
 * @param leaderId       the leader's member id, or null
 * @param stateTimestamp broker time the record was written
 */
public record GroupMetadataRecord(
        String groupId,
        String protocolType,
        int generationId,
        String protocolName,
        String leaderId,
        long stateTimestamp,
        List<Member> members) {

    /**
     * @param subscription the member's metadata for the chosen protocol
     * @param assignment   what the leader assigned it
     */
    public record Member(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            int rebalanceTimeoutMs,
            int sessionTimeoutMs,
            byte[] subscription,
            byte[] assignment) {}
}
