package dev.tributary.broker.group;

import java.util.List;

/** The LeaveGroup exchange in the coordinator's own types. */
public final class LeaveGroup {

    private LeaveGroup() {}

    /** A member to remove, by member id or (static members) by instance id. */
    public record Identity(String memberId, String groupInstanceId) {}

    public record MemberResult(String memberId, String groupInstanceId, GroupError error) {}

    /** @param error the request-level error; member errors are in {@code members} */
    public record Result(GroupError error, List<MemberResult> members) {}
}
