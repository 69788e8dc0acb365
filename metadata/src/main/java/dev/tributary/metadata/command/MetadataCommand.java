package dev.tributary.metadata.command;

import dev.tributary.metadata.image.Endpoint;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

/**
 * A change to the cluster metadata, as written to the metadata log. Applied by
 * {@link dev.tributary.metadata.apply.MetadataApplier}; encoded by {@link dev.tributary.metadata.codec.CommandCodec}.
 *
 * <p>Commands that carry a time ({@link Timed}) get it from the quorum leader, which overwrites the
 * submitter's {@code nowMs} with its own clock before the entry is appended. Applying a command never reads
 * a clock, so every node computes the same image from the same log.
 */
public sealed interface MetadataCommand {

    /** A command whose {@code nowMs} the quorum leader stamps. */
    sealed interface Timed extends MetadataCommand {
        long nowMs();

        Timed withNowMs(long nowMs);
    }

    /**
     * A broker process announces itself. A new broker starts fenced; the same incarnation again is a no-op;
     * another incarnation replaces the registration, fenced, after taking away what the old one led.
     */
    record RegisterBroker(int brokerId, UUID incarnationId, List<Endpoint> endpoints, long nowMs) implements Timed {
        public RegisterBroker {
            Objects.requireNonNull(incarnationId, "incarnationId");
            endpoints = List.copyOf(endpoints);
        }

        @Override
        public RegisterBroker withNowMs(long time) {
            return new RegisterBroker(brokerId, incarnationId, endpoints, time);
        }
    }

    /** The broker is alive; refused if the incarnation is not the registered one. */
    record BrokerHeartbeat(int brokerId, UUID incarnationId, long nowMs) implements Timed {
        public BrokerHeartbeat {
            Objects.requireNonNull(incarnationId, "incarnationId");
        }

        @Override
        public BrokerHeartbeat withNowMs(long time) {
            return new BrokerHeartbeat(brokerId, incarnationId, time);
        }
    }

    /** Fence a broker now (controlled shutdown or an operator): it loses every leadership and ISR seat
     * that the rules let it lose. */
    record FenceBroker(int brokerId) implements MetadataCommand {}

    /** A registered broker has caught up with the metadata and may lead again; leaderless partitions it
     * can lead get it as leader. */
    record UnfenceBroker(int brokerId, UUID incarnationId, long nowMs) implements Timed {
        public UnfenceBroker {
            Objects.requireNonNull(incarnationId, "incarnationId");
        }

        @Override
        public UnfenceBroker withNowMs(long time) {
            return new UnfenceBroker(brokerId, incarnationId, time);
        }
    }

    /** Fence every unfenced broker whose last heartbeat is more than {@code sessionTimeoutMs} before
     * {@code nowMs} ({@code broker.session.timeout.ms}). */
    record ExpireBrokerSessions(long sessionTimeoutMs, long nowMs) implements Timed {
        public ExpireBrokerSessions {
            if (sessionTimeoutMs <= 0) {
                throw new IllegalArgumentException(
                        "broker.session.timeout.ms must be positive, got " + sessionTimeoutMs);
            }
        }

        @Override
        public ExpireBrokerSessions withNowMs(long time) {
            return new ExpireBrokerSessions(sessionTimeoutMs, time);
        }
    }

    /** Create a topic with an explicit assignment (replicas per partition, preferred leader first); see
     * {@link dev.tributary.metadata.apply.ReplicaAssigner} to compute one. */
    record CreateTopic(String name, UUID topicId, List<List<Integer>> assignment, SortedMap<String, String> configs)
            implements MetadataCommand {
        public CreateTopic {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(topicId, "topicId");
            assignment = assignment.stream().map(List::copyOf).toList();
            configs = new TreeMap<>(configs);
        }

        public static CreateTopic of(
                String name, UUID topicId, List<List<Integer>> assignment, Map<String, String> configs) {
            return new CreateTopic(name, topicId, assignment, new TreeMap<>(configs));
        }
    }

    record DeleteTopic(String name) implements MetadataCommand {
        public DeleteTopic {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Add partitions to a topic, each with its explicit replicas; they get the next indexes. */
    record CreatePartitions(String topic, List<List<Integer>> newAssignments) implements MetadataCommand {
        public CreatePartitions {
            Objects.requireNonNull(topic, "topic");
            newAssignments = newAssignments.stream().map(List::copyOf).toList();
        }
    }

    /**
     * A partition leader proposes a new ISR. It names the topic id, its leader epoch and the partition
     * epoch it last saw: if any of these moved, the proposal is refused and the leader must act on the
     * newer state first (Kafka's AlterPartition flow). On success the result carries the new state.
     */
    record AlterPartition(
            String topic,
            UUID topicId,
            int partition,
            int leaderId,
            int leaderEpoch,
            int partitionEpoch,
            List<Integer> newIsr)
            implements MetadataCommand {
        public AlterPartition {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(topicId, "topicId");
            newIsr = List.copyOf(newIsr);
        }
    }

    /** How {@link ElectLeader} may choose. */
    enum ElectionType {
        /** Move leadership to the first replica of the assignment, if it is live and in the ISR. */
        PREFERRED,
        /** Give a partition without a live leader the first live ISR member as leader. */
        CLEAN,
        /** As CLEAN, and if no ISR member is live, a live replica outside the ISR (may lose records). */
        UNCLEAN
    }

    record ElectLeader(String topic, int partition, ElectionType type) implements MetadataCommand {
        public ElectLeader {
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * Move a partition to {@code targetReplicas}. New replicas are added first and follow the leader; once
     * all of them are in the ISR the old ones are removed (with a new leader if the old one goes).
     */
    record ReassignPartition(String topic, int partition, List<Integer> targetReplicas) implements MetadataCommand {
        public ReassignPartition {
            Objects.requireNonNull(topic, "topic");
            targetReplicas = List.copyOf(targetReplicas);
        }
    }

    /**
     * Hand the broker the next block of {@value dev.tributary.metadata.image.MetadataImage#PRODUCER_ID_BLOCK_SIZE}
     * producer ids, starting at {@code minimumFirstId} or later (so ids a single-node broker already gave out
     * are never given again once its metadata moves into the quorum).
     */
    record AllocateProducerIds(int brokerId, long minimumFirstId) implements MetadataCommand {}

    /** Hand the schema registry {@code count} new schema ids, starting at {@code minimumFirstId} or later. */
    record AllocateSchemaIds(int count, long minimumFirstId) implements MetadataCommand {}

    /** Set and remove topic configs (Kafka names); removing a config that is not set is not an error. */
    record UpdateTopicConfig(String topic, SortedMap<String, String> set, List<String> remove)
            implements MetadataCommand {
        public UpdateTopicConfig {
            Objects.requireNonNull(topic, "topic");
            set = new TreeMap<>(set);
            remove = List.copyOf(remove);
        }

        public static UpdateTopicConfig of(String topic, Map<String, String> set, List<String> remove) {
            return new UpdateTopicConfig(topic, new TreeMap<>(set), remove);
        }
    }
}
