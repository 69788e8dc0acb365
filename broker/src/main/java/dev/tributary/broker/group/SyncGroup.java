package dev.tributary.broker.group;

import java.util.Map;

/** The SyncGroup exchange in the coordinator's own types. */
public final class SyncGroup {

    private SyncGroup() {}

    /**
     * @param protocolType null from clients before v5, which do not send it
     * @param protocolName null from clients before v5
     * @param assignments  the leader's assignment per member id; empty from followers
     */
    public record Request(
            String groupId,
            int generationId,
            String memberId,
            String groupInstanceId,
            String protocolType,
            String protocolName,
            Map<String, byte[]> assignments) {}

    public record Result(GroupError error, String protocolType, String protocolName, byte[] assignment) {

        public static Result error(GroupError error) {
            return new Result(error, null, null, new byte[0]);
        }
    }
}
