package dev.tributary.broker.group;

/**
 * FindCoordinator for groups: which broker coordinates a group. A single node answers itself; a cluster node
 * answers the leader of the group's {@code __consumer_offsets} partition (creating the topic through the metadata
 * quorum the first time a group is looked up, as Kafka does).
 */
@FunctionalInterface
public interface CoordinatorLocator {

    /** The answer: a broker, or an error ({@code COORDINATOR_NOT_AVAILABLE} while there is none to name). */
    sealed interface Answer {}

    /** Broker {@code nodeId}, reached at {@code host:port}. */
    record Located(int nodeId, String host, int port) implements Answer {}

    /** No broker to name now; the client retries. */
    record Unavailable(GroupError error, String message) implements Answer {}

    Answer locate(String groupId);
}
