package dev.tributary.broker.group;

/**
 * Outcomes of group requests. Names match Kafka's error codes one to one; the protocol adapter maps them
 * in the broker's error table. {@link #NONE} is success.
 */
public enum GroupError {
    NONE,
    COORDINATOR_NOT_AVAILABLE,
    /** This node does not lead the group's {@code __consumer_offsets} partition (a cluster node). */
    NOT_COORDINATOR,
    /** This node leads the group's partition but is still reading it (a cluster node). */
    COORDINATOR_LOAD_IN_PROGRESS,
    INVALID_GROUP_ID,
    UNKNOWN_MEMBER_ID,
    MEMBER_ID_REQUIRED,
    ILLEGAL_GENERATION,
    INCONSISTENT_GROUP_PROTOCOL,
    INVALID_SESSION_TIMEOUT,
    REBALANCE_IN_PROGRESS,
    FENCED_INSTANCE_ID,
    GROUP_MAX_SIZE_REACHED,
    GROUP_ID_NOT_FOUND,
    NON_EMPTY_GROUP,
    OFFSET_METADATA_TOO_LARGE,
    GROUP_SUBSCRIBED_TO_TOPIC,
    UNKNOWN_SERVER_ERROR
}
