package dev.tributary.broker.group;

/**
 * States of a classic-protocol group, with Kafka's names (they are reported to clients as strings).
 *
 * <pre>
 *   Empty --join--> PreparingRebalance --all joined or timeout--> CompletingRebalance --leader sync--> Stable
 *     ^                 ^   |                                           |                              |
 *     |                 |   +--no members left--> Empty                 +--join/leave/expiry--+        |
 *     |                 +------------------------------------------------------------------+--------+
 *   Dead: the group was deleted; requests see COORDINATOR_NOT_AVAILABLE and clients look it up again.
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** @return the name Kafka uses on the wire, e.g. {@code PreparingRebalance} */
    public String kafkaName() {
        return kafkaName;
    }

    /** @return the state with this wire name (case-insensitive), or null */
    public static GroupState fromKafkaName(String name) {
        for (GroupState s : values()) {
            if (s.kafkaName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        return null;
    }
}
