package dev.tributary.broker.cluster;

import dev.tributary.broker.errors.InvalidPartitionsException;
import dev.tributary.broker.errors.InvalidReplicaAssignmentException;
import dev.tributary.broker.errors.InvalidReplicationFactorException;
import dev.tributary.broker.errors.TopicExistsException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.topic.TopicNames;
import dev.tributary.metadata.apply.ReplicaAssigner;
import dev.tributary.metadata.command.MetadataCommand.CreatePartitions;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * From an admin request to the metadata command a cluster node submits: the pure part of {@link ClusterTopics}
 * (no I/O). Replicas are assigned over the image's live brokers by {@link ReplicaAssigner}.
 *
 * <p>An explicit assignment gives every partition the same number of distinct replicas (Kafka's rule); the
 * quorum checks that the brokers named are registered.
 */
public final class TopicCommands {

    private TopicCommands() {}

    /**
     * The command creating topic {@code name}.
     *
     * @param partitions the partition count asked for; ignored when {@code assignment} is given
     * @param replicationFactor the replication factor to use (the request's, else the broker default)
     * @param assignment explicit replicas per partition from the request, or an empty list
     * @param seed picks where the leaders start going round the brokers
     */
    public static CreateTopic createTopic(
            MetadataImage image,
            String name,
            int partitions,
            int replicationFactor,
            List<List<Integer>> assignment,
            Map<String, String> configs,
            UUID topicId,
            long seed) {
        TopicNames.validate(name);
        if (image.topic(name) != null) {
            throw new TopicExistsException("Topic '" + name + "' already exists.");
        }
        if (!assignment.isEmpty()) {
            int factor = assignment.get(0).size();
            for (int p = 0; p < assignment.size(); p++) {
                List<Integer> replicas = assignment.get(p);
                if (replicas.isEmpty() || replicas.size() != factor) {
                    throw new InvalidReplicaAssignmentException("Assignment " + replicas + " of partition " + p
                            + " has " + replicas.size() + " replicas; every partition needs the same number (" + factor
                            + ") and at least one");
                }
                if (new java.util.HashSet<>(replicas).size() != replicas.size()) {
                    throw new InvalidReplicaAssignmentException(
                            "Assignment " + replicas + " of partition " + p + " names a broker twice");
                }
            }
            return new CreateTopic(name, topicId, assignment, new TreeMap<>(configs));
        }
        if (partitions <= 0) {
            throw new InvalidPartitionsException("Number of partitions must be larger than 0, got " + partitions);
        }
        checkReplicationFactor(replicationFactor);
        ReplicaAssigner.Outcome outcome = ReplicaAssigner.forNewTopic(image, partitions, replicationFactor, seed);
        if (outcome instanceof ReplicaAssigner.NotEnoughBrokers n) {
            throw new InvalidReplicationFactorException("Replication factor " + n.replicationFactor()
                    + " is larger than the " + n.liveBrokers() + " live brokers of the cluster");
        }
        return new CreateTopic(name, topicId, ((ReplicaAssigner.Assigned) outcome).replicas(), new TreeMap<>(configs));
    }

    /** The command growing topic {@code name} to {@code newCount} partitions. */
    public static CreatePartitions createPartitions(MetadataImage image, String name, int newCount) {
        TopicImage topic = image.topic(name);
        if (topic == null) {
            throw new UnknownTopicOrPartitionException("Topic " + name + " does not exist");
        }
        if (newCount <= topic.partitionCount()) {
            throw new InvalidPartitionsException("Topic " + name + " has " + topic.partitionCount()
                    + " partitions; the new count " + newCount + " must be larger");
        }
        ReplicaAssigner.Outcome outcome =
                ReplicaAssigner.forNewPartitions(image, topic, newCount - topic.partitionCount());
        if (outcome instanceof ReplicaAssigner.NotEnoughBrokers n) {
            throw new InvalidPartitionsException("Topic " + name + " needs " + n.replicationFactor()
                    + " live brokers per partition; the cluster has " + n.liveBrokers());
        }
        return new CreatePartitions(name, ((ReplicaAssigner.Assigned) outcome).replicas());
    }

    static void checkReplicationFactor(int replicationFactor) {
        if (replicationFactor <= 0) {
            throw new InvalidReplicationFactorException(
                    "Replication factor must be larger than 0, got " + replicationFactor);
        }
    }
}
