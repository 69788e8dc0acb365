package dev.tributary.metadata.apply;

import dev.tributary.metadata.command.CommandResult.BrokersFenced;
import dev.tributary.metadata.command.CommandResult.Done;
import dev.tributary.metadata.command.CommandResult.HeartbeatAccepted;
import dev.tributary.metadata.command.CommandResult.IdRange;
import dev.tributary.metadata.command.CommandResult.PartitionUpdated;
import dev.tributary.metadata.command.CommandResult.Rejected;
import dev.tributary.metadata.command.CommandResult.TopicCreated;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.command.MetadataCommand.AllocateProducerIds;
import dev.tributary.metadata.command.MetadataCommand.AllocateSchemaIds;
import dev.tributary.metadata.command.MetadataCommand.AlterPartition;
import dev.tributary.metadata.command.MetadataCommand.BrokerHeartbeat;
import dev.tributary.metadata.command.MetadataCommand.CreatePartitions;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.command.MetadataCommand.DeleteTopic;
import dev.tributary.metadata.command.MetadataCommand.ElectLeader;
import dev.tributary.metadata.command.MetadataCommand.ExpireBrokerSessions;
import dev.tributary.metadata.command.MetadataCommand.FenceBroker;
import dev.tributary.metadata.command.MetadataCommand.ReassignPartition;
import dev.tributary.metadata.command.MetadataCommand.RegisterBroker;
import dev.tributary.metadata.command.MetadataCommand.UnfenceBroker;
import dev.tributary.metadata.command.MetadataCommand.UpdateTopicConfig;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.IntPredicate;
import java.util.regex.Pattern;

/**
 * {@code apply(image, command) -> (image, result)}: the one function that changes cluster metadata.
 *
 * <p>Pure and deterministic: no clock (times come in the commands, stamped by the quorum leader), no
 * randomness (topic ids and assignments come in the commands), no I/O. Every quorum node applies the same
 * log to the same function and holds the same image. A refused command returns the unchanged image and a
 * {@link Rejected} result.
 */
public final class MetadataApplier {

    /** Kafka's limit on topic name length. */
    static final int MAX_TOPIC_NAME_LENGTH = 249;

    private static final Pattern TOPIC_NAME = Pattern.compile("[a-zA-Z0-9._-]+");

    private MetadataApplier() {}

    public static Applied apply(MetadataImage image, MetadataCommand command) {
        // Java 17 has no pattern switch; the sealed interface keeps this list complete (CommandCodecTest
        // applies every command type)
        if (command instanceof RegisterBroker c) {
            return registerBroker(image, c);
        }
        if (command instanceof BrokerHeartbeat c) {
            return heartbeat(image, c);
        }
        if (command instanceof FenceBroker c) {
            return fenceBroker(image, c);
        }
        if (command instanceof UnfenceBroker c) {
            return unfenceBroker(image, c);
        }
        if (command instanceof ExpireBrokerSessions c) {
            return expireSessions(image, c);
        }
        if (command instanceof CreateTopic c) {
            return createTopic(image, c);
        }
        if (command instanceof DeleteTopic c) {
            return deleteTopic(image, c);
        }
        if (command instanceof CreatePartitions c) {
            return createPartitions(image, c);
        }
        if (command instanceof AlterPartition c) {
            return alterPartition(image, c);
        }
        if (command instanceof ElectLeader c) {
            return electLeader(image, c);
        }
        if (command instanceof ReassignPartition c) {
            return reassign(image, c);
        }
        if (command instanceof AllocateProducerIds c) {
            return allocateProducerIds(image, c);
        }
        if (command instanceof AllocateSchemaIds c) {
            return allocateSchemaIds(image, c);
        }
        if (command instanceof UpdateTopicConfig c) {
            return updateTopicConfig(image, c);
        }
        throw new IllegalArgumentException(
                "unknown command type " + command.getClass().getName());
    }

    // ---- brokers

    private static Applied registerBroker(MetadataImage image, RegisterBroker c) {
        if (c.brokerId() < 0) {
            return refused(image, MetadataError.INVALID_REQUEST, "broker id " + c.brokerId() + " is negative");
        }
        BrokerRegistration existing = image.broker(c.brokerId());
        if (existing != null && existing.incarnationId().equals(c.incarnationId())) {
            return new Applied(image, new Done());
        }
        MetadataImage next = image;
        if (existing != null && !existing.fenced()) {
            // a new process under a known id: the old one may have crashed holding leaderships
            next = fence(next, List.of(c.brokerId()));
        }
        next = next.withBroker(new BrokerRegistration(c.brokerId(), c.incarnationId(), c.endpoints(), true, c.nowMs()));
        return new Applied(next, new Done());
    }

    private static Applied heartbeat(MetadataImage image, BrokerHeartbeat c) {
        BrokerRegistration b = image.broker(c.brokerId());
        Rejected wrong = checkIncarnation(b, c.brokerId(), c.incarnationId());
        if (wrong != null) {
            return new Applied(image, wrong);
        }
        MetadataImage next = image.withBroker(b.withLastHeartbeatMs(Math.max(b.lastHeartbeatMs(), c.nowMs())));
        return new Applied(next, new HeartbeatAccepted(b.fenced()));
    }

    private static Applied fenceBroker(MetadataImage image, FenceBroker c) {
        BrokerRegistration b = image.broker(c.brokerId());
        if (b == null) {
            return refused(image, MetadataError.UNKNOWN_BROKER, "broker " + c.brokerId() + " is not registered");
        }
        if (b.fenced()) {
            return new Applied(image, new BrokersFenced(List.of()));
        }
        return new Applied(fence(image, List.of(c.brokerId())), new BrokersFenced(List.of(c.brokerId())));
    }

    private static Applied unfenceBroker(MetadataImage image, UnfenceBroker c) {
        BrokerRegistration b = image.broker(c.brokerId());
        Rejected wrong = checkIncarnation(b, c.brokerId(), c.incarnationId());
        if (wrong != null) {
            return new Applied(image, wrong);
        }
        if (!b.fenced()) {
            return new Applied(image, new Done());
        }
        MetadataImage next =
                image.withBroker(b.withFenced(false).withLastHeartbeatMs(Math.max(b.lastHeartbeatMs(), c.nowMs())));
        IntPredicate live = next.liveBrokers();
        next = mapPartitions(
                next,
                (topic, p) ->
                        PartitionRules.onBrokerUnfenced(p, c.brokerId(), live, topic.uncleanLeaderElectionEnabled()));
        return new Applied(next, new Done());
    }

    private static Applied expireSessions(MetadataImage image, ExpireBrokerSessions c) {
        List<Integer> expired = new ArrayList<>();
        for (BrokerRegistration b : image.brokers().values()) {
            if (!b.fenced() && c.nowMs() - b.lastHeartbeatMs() > c.sessionTimeoutMs()) {
                expired.add(b.id());
            }
        }
        if (expired.isEmpty()) {
            return new Applied(image, new BrokersFenced(List.of()));
        }
        return new Applied(fence(image, expired), new BrokersFenced(expired));
    }

    /** Marks the brokers fenced, then takes away their leaderships and ISR seats. */
    static MetadataImage fence(MetadataImage image, List<Integer> brokerIds) {
        MetadataImage next = image;
        for (int id : brokerIds) {
            next = next.withBroker(next.broker(id).withFenced(true));
        }
        IntPredicate live = next.liveBrokers();
        for (int id : brokerIds) {
            next = mapPartitions(
                    next,
                    (topic, p) -> PartitionRules.onBrokerFenced(p, id, live, topic.uncleanLeaderElectionEnabled()));
        }
        return next;
    }

    private static Rejected checkIncarnation(BrokerRegistration b, int brokerId, java.util.UUID incarnationId) {
        if (b == null) {
            return new Rejected(MetadataError.UNKNOWN_BROKER, "broker " + brokerId + " is not registered");
        }
        if (!b.incarnationId().equals(incarnationId)) {
            return new Rejected(
                    MetadataError.STALE_BROKER_INCARNATION,
                    "broker " + brokerId + " is registered with incarnation " + b.incarnationId() + ", not "
                            + incarnationId);
        }
        return null;
    }

    // ---- topics

    private static Applied createTopic(MetadataImage image, CreateTopic c) {
        String invalid = invalidTopicName(c.name());
        if (invalid != null) {
            return refused(image, MetadataError.INVALID_TOPIC_EXCEPTION, invalid);
        }
        if (image.topic(c.name()) != null) {
            return refused(image, MetadataError.TOPIC_ALREADY_EXISTS, "topic " + c.name() + " already exists");
        }
        for (TopicImage t : image.topics().values()) {
            if (t.topicId().equals(c.topicId())) {
                return refused(
                        image,
                        MetadataError.INVALID_REQUEST,
                        "topic id " + c.topicId() + " is already used by topic " + t.name());
            }
        }
        if (c.assignment().isEmpty()) {
            return refused(
                    image, MetadataError.INVALID_PARTITIONS, "topic " + c.name() + " needs at least one partition");
        }
        List<PartitionState> partitions = new ArrayList<>();
        Rejected bad = newPartitions(image, c.name(), 0, c.assignment(), partitions);
        if (bad != null) {
            return new Applied(image, bad);
        }
        TopicImage topic = TopicImage.of(c.name(), c.topicId(), c.configs(), partitions);
        return new Applied(image.withTopic(topic), new TopicCreated(c.topicId(), partitions.size()));
    }

    private static Applied deleteTopic(MetadataImage image, DeleteTopic c) {
        if (image.topic(c.name()) == null) {
            return refused(image, MetadataError.UNKNOWN_TOPIC_OR_PARTITION, "topic " + c.name() + " does not exist");
        }
        return new Applied(image.withoutTopic(c.name()), new Done());
    }

    private static Applied createPartitions(MetadataImage image, CreatePartitions c) {
        TopicImage topic = image.topic(c.topic());
        if (topic == null) {
            return refused(image, MetadataError.UNKNOWN_TOPIC_OR_PARTITION, "topic " + c.topic() + " does not exist");
        }
        if (c.newAssignments().isEmpty()) {
            return refused(image, MetadataError.INVALID_PARTITIONS, "no partitions to add to topic " + c.topic());
        }
        List<PartitionState> partitions = new ArrayList<>(topic.partitions());
        Rejected bad = newPartitions(image, c.topic(), topic.partitionCount(), c.newAssignments(), partitions);
        if (bad != null) {
            return new Applied(image, bad);
        }
        return new Applied(image.withTopic(topic.withPartitions(partitions)), new Done());
    }

    /** Validates the assignments and appends the new partitions (led by their first live replica) to {@code out}. */
    private static Rejected newPartitions(
            MetadataImage image,
            String topic,
            int firstIndex,
            List<List<Integer>> assignment,
            List<PartitionState> out) {
        for (int i = 0; i < assignment.size(); i++) {
            List<Integer> replicas = assignment.get(i);
            String where = topic + "-" + (firstIndex + i);
            if (replicas.isEmpty()) {
                return new Rejected(MetadataError.INVALID_REPLICA_ASSIGNMENT, where + " has no replicas");
            }
            if (new HashSet<>(replicas).size() != replicas.size()) {
                return new Rejected(
                        MetadataError.INVALID_REPLICA_ASSIGNMENT,
                        where + ": replicas " + replicas + " contain a duplicate");
            }
            for (int broker : replicas) {
                if (image.broker(broker) == null) {
                    return new Rejected(
                            MetadataError.INVALID_REPLICA_ASSIGNMENT,
                            where + ": broker " + broker + " is not registered");
                }
            }
            List<Integer> isr = replicas.stream().filter(image::isLive).toList();
            if (isr.isEmpty()) {
                return new Rejected(
                        MetadataError.INVALID_REPLICA_ASSIGNMENT,
                        where + ": every replica of " + replicas + " is fenced");
            }
            out.add(PartitionState.created(replicas, isr, isr.get(0)));
        }
        return null;
    }

    private static Applied updateTopicConfig(MetadataImage image, UpdateTopicConfig c) {
        TopicImage topic = image.topic(c.topic());
        if (topic == null) {
            return refused(image, MetadataError.UNKNOWN_TOPIC_OR_PARTITION, "topic " + c.topic() + " does not exist");
        }
        TreeMap<String, String> configs = new TreeMap<>(topic.configs());
        c.remove().forEach(configs::remove);
        configs.putAll(c.set());
        return new Applied(image.withTopic(topic.withConfigs(configs)), new Done());
    }

    static String invalidTopicName(String name) {
        if (name.isEmpty()) {
            return "topic name is empty";
        }
        if (name.equals(".") || name.equals("..")) {
            return "topic name cannot be \"" + name + "\"";
        }
        if (name.length() > MAX_TOPIC_NAME_LENGTH) {
            return "topic name of " + name.length() + " characters is longer than " + MAX_TOPIC_NAME_LENGTH;
        }
        if (!TOPIC_NAME.matcher(name).matches()) {
            return "topic name \"" + name + "\" has characters other than ASCII letters, digits, '.', '_' and '-'";
        }
        return null;
    }

    // ---- partitions

    private static Applied alterPartition(MetadataImage image, AlterPartition c) {
        TopicImage topic = image.topic(c.topic());
        if (topic != null && !topic.topicId().equals(c.topicId())) {
            return refused(
                    image,
                    MetadataError.UNKNOWN_TOPIC_ID,
                    "topic " + c.topic() + " has id " + topic.topicId() + ", not " + c.topicId());
        }
        return changePartition(
                image, c.topic(), c.partition(), (t, p) -> PartitionRules.alterIsr(p, c, image.liveBrokers()));
    }

    private static Applied electLeader(MetadataImage image, ElectLeader c) {
        return changePartition(
                image,
                c.topic(),
                c.partition(),
                (t, p) -> PartitionRules.elect(p, c.topic() + "-" + c.partition(), c.type(), image.liveBrokers()));
    }

    private static Applied reassign(MetadataImage image, ReassignPartition c) {
        return changePartition(
                image,
                c.topic(),
                c.partition(),
                (t, p) -> PartitionRules.reassign(
                        p,
                        c.topic() + "-" + c.partition(),
                        c.targetReplicas(),
                        id -> image.broker(id) != null,
                        image.liveBrokers()));
    }

    private interface PartitionRule {
        PartitionChange apply(TopicImage topic, PartitionState partition);
    }

    private static Applied changePartition(MetadataImage image, String topicName, int index, PartitionRule rule) {
        TopicImage topic = image.topic(topicName);
        PartitionState p = topic == null ? null : topic.partition(index);
        if (p == null) {
            return refused(
                    image,
                    MetadataError.UNKNOWN_TOPIC_OR_PARTITION,
                    "partition " + topicName + "-" + index + " does not exist");
        }
        PartitionChange change = rule.apply(topic, p);
        if (change.refused()) {
            return new Applied(image, change.rejection());
        }
        MetadataImage next = change.state() == p ? image : image.withTopic(topic.withPartition(index, change.state()));
        return new Applied(next, new PartitionUpdated(topicName, index, change.state()));
    }

    private interface PartitionMapper {
        PartitionState apply(TopicImage topic, PartitionState partition);
    }

    /** Applies {@code mapper} to every partition, copying only the topics in which something changed. */
    private static MetadataImage mapPartitions(MetadataImage image, PartitionMapper mapper) {
        SortedMap<String, TopicImage> topics = null;
        for (TopicImage topic : image.topics().values()) {
            List<PartitionState> changed = null;
            for (int i = 0; i < topic.partitionCount(); i++) {
                PartitionState before = topic.partitions().get(i);
                PartitionState after = mapper.apply(topic, before);
                if (after != before) {
                    if (changed == null) {
                        changed = new ArrayList<>(topic.partitions());
                    }
                    changed.set(i, after);
                }
            }
            if (changed != null) {
                if (topics == null) {
                    topics = new TreeMap<>(image.topics());
                }
                topics.put(topic.name(), topic.withPartitions(changed));
            }
        }
        return topics == null ? image : image.withTopics(topics);
    }

    // ---- id allocation

    private static Applied allocateProducerIds(MetadataImage image, AllocateProducerIds c) {
        if (image.broker(c.brokerId()) == null) {
            return refused(image, MetadataError.UNKNOWN_BROKER, "broker " + c.brokerId() + " is not registered");
        }
        long first = Math.max(image.nextProducerId(), c.minimumFirstId());
        if (first < 0 || first > Long.MAX_VALUE - MetadataImage.PRODUCER_ID_BLOCK_SIZE) {
            return refused(image, MetadataError.ID_SPACE_EXHAUSTED, "no producer id block is left after " + first);
        }
        return new Applied(
                image.withNextProducerId(first + MetadataImage.PRODUCER_ID_BLOCK_SIZE),
                new IdRange(first, MetadataImage.PRODUCER_ID_BLOCK_SIZE));
    }

    private static Applied allocateSchemaIds(MetadataImage image, AllocateSchemaIds c) {
        if (c.count() <= 0) {
            return refused(image, MetadataError.INVALID_REQUEST, "schema id count must be positive, got " + c.count());
        }
        long first = Math.max(image.nextSchemaId(), c.minimumFirstId());
        // the registry's wire format carries schema ids as 32-bit signed ints
        if (first + c.count() - 1 > Integer.MAX_VALUE) {
            return refused(
                    image,
                    MetadataError.ID_SPACE_EXHAUSTED,
                    c.count() + " schema ids from " + first + " would pass " + Integer.MAX_VALUE);
        }
        return new Applied(image.withNextSchemaId(first + c.count()), new IdRange(first, c.count()));
    }

    private static Applied refused(MetadataImage image, MetadataError error, String message) {
        return new Applied(image, new Rejected(error, message));
    }
}
