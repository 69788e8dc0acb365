package dev.tributary.metadata.command;

/**
 * Why a command was refused. The names follow Kafka's error codes where the meaning is the same, so the
 * broker's one error table can map each to the code its clients expect.
 */
public enum MetadataError {
    /** No broker with that id is registered. */
    UNKNOWN_BROKER,
    /** The broker id is registered with another incarnation: this process must register again. */
    STALE_BROKER_INCARNATION,
    TOPIC_ALREADY_EXISTS,
    UNKNOWN_TOPIC_OR_PARTITION,
    /** The topic exists under this name with another topic id (deleted and created again). */
    UNKNOWN_TOPIC_ID,
    INVALID_TOPIC_EXCEPTION,
    INVALID_REPLICA_ASSIGNMENT,
    INVALID_PARTITIONS,
    INVALID_REPLICATION_FACTOR,
    /** The proposer's leader epoch is older than the partition's. */
    FENCED_LEADER_EPOCH,
    /** The proposer is not the partition's leader. */
    NOT_LEADER_OR_FOLLOWER,
    /** The partition epoch moved since the proposer read it (Kafka: INVALID_UPDATE_VERSION). */
    INVALID_UPDATE_VERSION,
    /** A proposed ISR member is fenced or not a replica that may join. */
    INELIGIBLE_REPLICA,
    INVALID_REQUEST,
    ELECTION_NOT_NEEDED,
    PREFERRED_LEADER_NOT_AVAILABLE,
    ELIGIBLE_LEADERS_NOT_AVAILABLE,
    /** No more ids of that kind can be handed out. */
    ID_SPACE_EXHAUSTED
}
