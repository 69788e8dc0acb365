package dev.tributary.broker.group;

import java.util.List;

/**
 * What DescribeGroups reports about a group.
 *
 * @param protocolName the chosen assignor, empty while no generation is complete
 */
public record GroupDescription(
        String groupId, GroupState state, String protocolType, String protocolName, List<MemberDescription> members) {

    /**
     * @param metadata   the member's subscription for the chosen protocol
     * @param assignment the member's assignment from the last completed sync, empty before that
     */
    public record MemberDescription(
            String memberId,
            String groupInstanceId,
            String clientId,
            String clientHost,
            byte[] metadata,
            byte[] assignment) {}
}
