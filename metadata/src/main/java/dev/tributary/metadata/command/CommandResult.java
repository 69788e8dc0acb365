package dev.tributary.metadata.command;

import dev.tributary.metadata.image.PartitionState;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What applying a command produced. Expected refusals are {@link Rejected} values, never exceptions; the
 * submitter gets the same value back from the quorum.
 */
public sealed interface CommandResult {

    /** True for every result except {@link Rejected}. */
    default boolean accepted() {
        return !(this instanceof Rejected);
    }

    /** Applied; nothing to report. */
    record Done() implements CommandResult {}

    record Rejected(MetadataError error, String message) implements CommandResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The broker's heartbeat was recorded; {@code fenced} tells it whether it must still unfence. */
    record HeartbeatAccepted(boolean fenced) implements CommandResult {}

    /** The brokers fenced by this command (empty if none needed to be). */
    record BrokersFenced(List<Integer> brokerIds) implements CommandResult {
        public BrokersFenced {
            brokerIds = List.copyOf(brokerIds);
        }
    }

    record TopicCreated(UUID topicId, int partitions) implements CommandResult {}

    /** The partition's state after the change (for AlterPartition: the new partition epoch to use). */
    record PartitionUpdated(String topic, int partition, PartitionState state) implements CommandResult {}

    /** Ids {@code firstId} to {@code firstId + count - 1} belong to the requester. */
    record IdRange(long firstId, int count) implements CommandResult {}
}
