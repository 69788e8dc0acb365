package dev.tributary.broker.cluster;

import dev.tributary.broker.errors.InvalidRequestException;
import dev.tributary.broker.errors.MetadataRejectedException;
import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.group.ConsumerOffsetsRecords;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.topic.ReplicationTopicConfigs;
import dev.tributary.broker.topic.TopicInfo;
import dev.tributary.broker.topic.TopicNames;
import dev.tributary.broker.topic.UnavailableTopicConfigs;
import dev.tributary.log.LogConfig;
import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.Rejected;
import dev.tributary.metadata.command.CommandResult.TopicCreated;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.command.MetadataCommand.CreatePartitions;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.command.MetadataCommand.DeleteTopic;
import dev.tributary.metadata.command.MetadataCommand.UpdateTopicConfig;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import dev.tributary.metadata.quorum.MetadataQuorum;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The topics of a cluster, as the Kafka APIs of a cluster node see them: looked up in this node's copy of the
 * metadata image, and created, deleted and grown through the metadata quorum. A change is answered from the
 * committed result, after this node's own image has it too (waiting at most {@link #LOCAL_APPLY_WAIT}), so a
 * client that asks this node next sees its change.
 *
 * <p>The broker's own topics are cluster topics too: {@code __consumer_offsets}, replicated like any other (the
 * coordinator of a group is the leader of its partition), and the schema registry's {@code _schemas}, with defaults
 * of its own ({@link SchemasTopic}). None of them can be deleted.
 */
public final class ClusterTopics {
    /** The group coordinator's topic ({@code ConsumerOffsetsRecords.TOPIC}), replicated in a cluster. */
    static final String CONSUMER_OFFSETS = ConsumerOffsetsRecords.TOPIC;
    /** How long a change may take to commit before the request fails with {@code REQUEST_TIMED_OUT}. */
    static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(15);
    /** How long a committed change may take to reach this node's image before the answer goes out anyway. */
    static final Duration LOCAL_APPLY_WAIT = Duration.ofSeconds(3);

    private final MetadataQuorum quorum;
    private final int defaultReplicationFactor;
    private final int defaultPartitions;
    private final Function<Map<String, String>, LogConfig> logConfig;
    private final int schemasReplicationFactor;

    /**
     * @param logConfig a topic's log config from its overrides; it throws if an override is invalid
     * @param schemasReplicationFactor the replication factor of {@code _schemas} ({@link SchemasTopic})
     */
    public ClusterTopics(
            MetadataQuorum quorum,
            int defaultReplicationFactor,
            int defaultPartitions,
            Function<Map<String, String>, LogConfig> logConfig,
            int schemasReplicationFactor) {
        this.quorum = quorum;
        this.defaultReplicationFactor = defaultReplicationFactor;
        this.defaultPartitions = defaultPartitions;
        this.logConfig = logConfig;
        this.schemasReplicationFactor = schemasReplicationFactor;
    }

    /** A topic created (or, for a validation, that would be). */
    public record Created(String name, UUID topicId, int partitions, int replicationFactor) {}

    /** True for the topics each node keeps for itself in this version. */
    public static boolean isLocalOnly(String topic) {
        return TopicNames.isProtectedFromDeletion(topic)
                && !topic.equals(TopicNames.SCHEMAS_TOPIC)
                && !topic.equals(CONSUMER_OFFSETS);
    }

    public MetadataImage image() {
        return quorum.image();
    }

    /** The topic in this node's image, or null. */
    public TopicImage topic(String name) {
        return quorum.image().topic(name);
    }

    /**
     * Creates a topic through the quorum.
     *
     * @param partitions -1 for {@code num.partitions} (ignored with an explicit assignment)
     * @param replicationFactor -1 for {@code default.replication.factor}
     * @param assignment explicit replicas per partition, or empty
     */
    public Created create(
            String name,
            int partitions,
            int replicationFactor,
            List<List<Integer>> assignment,
            Map<String, String> configs,
            boolean validateOnly) {
        if (name.equals(TopicNames.SCHEMAS_TOPIC)) {
            partitions = SchemasTopic.partitions(partitions);
            replicationFactor = replicationFactor == -1 ? schemasReplicationFactor : replicationFactor;
            configs = SchemasTopic.configs(configs);
        }
        UnavailableTopicConfigs.refuse(configs);
        ReplicationTopicConfigs.validate(configs);
        logConfig.apply(configs); // validates the overrides
        CreateTopic command = TopicCommands.createTopic(
                latestImage(),
                name,
                partitions == -1 ? defaultPartitions : partitions,
                replicationFactor == -1 ? defaultReplicationFactor : replicationFactor,
                assignment,
                configs,
                UUID.randomUUID(),
                ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
        int rf = command.assignment().get(0).size();
        if (validateOnly) {
            return new Created(name, command.topicId(), command.assignment().size(), rf);
        }
        TopicCreated created = (TopicCreated) submit(command);
        awaitLocally(image -> {
            TopicImage t = image.topic(name);
            return t != null && t.topicId().equals(created.topicId());
        });
        return new Created(name, created.topicId(), created.partitions(), rf);
    }

    /** Deletes a topic through the quorum; returns its topic id as this node knew it (null if it did not). */
    public UUID delete(String name) {
        if (TopicNames.isProtectedFromDeletion(name)) {
            // as on a single node: the coordinators and the registries keep their state in them
            throw new InvalidRequestException(
                    "Topic " + name + " is an internal topic of the broker and cannot be deleted");
        }
        TopicImage known = topic(name);
        submit(new DeleteTopic(name));
        awaitLocally(image -> image.topic(name) == null
                || (known != null && !image.topic(name).topicId().equals(known.topicId())));
        return known == null ? null : known.topicId();
    }

    /** Grows a topic to {@code newCount} partitions through the quorum. */
    public void createPartitions(String name, int newCount, boolean validateOnly) {
        CreatePartitions command = TopicCommands.createPartitions(latestImage(), name, newCount);
        if (validateOnly) {
            return;
        }
        submit(command);
        awaitLocally(image -> image.topic(name) != null && image.topic(name).partitionCount() >= newCount);
    }

    /** The topic as the config APIs see it (name, id, partition count, overrides), or null if there is none. */
    public TopicInfo info(String name) {
        TopicImage t = isLocalOnly(name) ? null : topic(name);
        return t == null ? null : new TopicInfo(t.name(), t.topicId(), t.partitionCount(), t.configs());
    }

    /**
     * Replaces a topic's overrides with {@code overrides} through the quorum, after checking them; every replica
     * acts on the change when its node's image has it (log configs and {@code min.insync.replicas}).
     */
    public void setConfigs(String name, Map<String, String> overrides, boolean validateOnly) {
        TopicImage t = topic(name);
        if (t == null || isLocalOnly(name)) {
            throw new UnknownTopicOrPartitionException("Topic " + name + " does not exist");
        }
        UnavailableTopicConfigs.refuse(overrides);
        ReplicationTopicConfigs.validate(overrides);
        logConfig.apply(overrides); // validates the overrides
        if (validateOnly) {
            return;
        }
        List<String> removed = t.configs().keySet().stream()
                .filter(k -> !overrides.containsKey(k))
                .toList();
        submit(UpdateTopicConfig.of(name, overrides, removed));
        awaitLocally(image ->
                image.topic(name) != null && image.topic(name).configs().equals(overrides));
    }

    /**
     * The error for a client request about a partition this node does not host: {@code NOT_LEADER_OR_FOLLOWER}
     * for a partition of the cluster (another broker leads it, it has no leader now, or this node has not opened
     * it yet), so that the client refreshes its metadata and retries; {@code UNKNOWN_TOPIC_OR_PARTITION} else.
     */
    public RuntimeException notHosted(PartitionId id) {
        TopicImage t = isLocalOnly(id.topic()) ? null : topic(id.topic());
        PartitionState state = t == null ? null : t.partition(id.partition());
        if (state == null) {
            return new UnknownTopicOrPartitionException("This server does not host " + id);
        }
        String leader = state.hasLeader() ? "broker " + state.leader() : "no broker (it has no leader now)";
        return new NotLeaderOrFollowerException(
                "Broker " + quorum.nodeId() + " does not lead " + id + "; its leader is " + leader);
    }

    /**
     * The quorum leader's image (a linearizable read), so that replicas are placed on the brokers the cluster has
     * now, not on those this node has heard of so far; this node's own image if the leader does not answer soon.
     */
    private MetadataImage latestImage() {
        try {
            return quorum.client()
                    .readImage()
                    .get(LOCAL_APPLY_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return quorum.image();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return quorum.image();
        }
    }

    private CommandResult submit(MetadataCommand command) {
        CommandResult result = quorum.client().submitAndWait(command, COMMIT_TIMEOUT);
        if (result instanceof Rejected r) {
            throw new MetadataRejectedException(r.error(), r.message());
        }
        return result;
    }

    private void awaitLocally(Predicate<MetadataImage> applied) {
        long deadline = System.nanoTime() + LOCAL_APPLY_WAIT.toNanos();
        while (!applied.test(quorum.image()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
