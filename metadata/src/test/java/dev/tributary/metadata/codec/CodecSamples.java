package dev.tributary.metadata.codec;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.command.MetadataCommand.AllocateProducerIds;
import dev.tributary.metadata.command.MetadataCommand.AllocateSchemaIds;
import dev.tributary.metadata.command.MetadataCommand.AlterPartition;
import dev.tributary.metadata.command.MetadataCommand.BrokerHeartbeat;
import dev.tributary.metadata.command.MetadataCommand.CreatePartitions;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.command.MetadataCommand.DeleteTopic;
import dev.tributary.metadata.command.MetadataCommand.ElectLeader;
import dev.tributary.metadata.command.MetadataCommand.ElectionType;
import dev.tributary.metadata.command.MetadataCommand.ExpireBrokerSessions;
import dev.tributary.metadata.command.MetadataCommand.FenceBroker;
import dev.tributary.metadata.command.MetadataCommand.ReassignPartition;
import dev.tributary.metadata.command.MetadataCommand.RegisterBroker;
import dev.tributary.metadata.command.MetadataCommand.UnfenceBroker;
import dev.tributary.metadata.command.MetadataCommand.UpdateTopicConfig;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One sample of every command, result and an image with every field set, for the codec tests. */
final class CodecSamples {

    static final UUID INCARNATION = new UUID(0x1122334455667788L, 0x99AABBCCDDEEFF00L);
    static final UUID TOPIC_ID = new UUID(0x0102030405060708L, 0x090A0B0C0D0E0F10L);
    static final List<Endpoint> ENDPOINTS =
            List.of(new Endpoint("PLAINTEXT", "10.0.0.1", 9092), new Endpoint("REGISTRY", "10.0.0.1", 8081));

    private CodecSamples() {}

    static List<MetadataCommand> commands() {
        return List.of(
                new RegisterBroker(1, INCARNATION, ENDPOINTS, 1_700_000_000_000L),
                new BrokerHeartbeat(1, INCARNATION, 1_700_000_000_500L),
                new FenceBroker(2),
                new UnfenceBroker(3, INCARNATION, 42),
                new ExpireBrokerSessions(9_000, 1_700_000_009_000L),
                CreateTopic.of(
                        "orders",
                        TOPIC_ID,
                        List.of(List.of(1, 2, 3), List.of(2, 3, 1)),
                        Map.of("retention.ms", "86400000", "cleanup.policy", "compact")),
                new DeleteTopic("orders"),
                new CreatePartitions("orders", List.of(List.of(3, 1, 2))),
                new AlterPartition("orders", TOPIC_ID, 1, 2, 7, 12, List.of(2, 3)),
                new ElectLeader("orders", 0, ElectionType.UNCLEAN),
                new ReassignPartition("orders", 2, List.of(4, 5, 6)),
                new AllocateProducerIds(1, 5_000),
                new AllocateSchemaIds(10, 100),
                UpdateTopicConfig.of("orders", Map.of("retention.ms", "1000"), List.of("cleanup.policy")));
    }

    static List<CommandResult> results() {
        return List.of(
                new CommandResult.Done(),
                new CommandResult.Rejected(MetadataError.INVALID_UPDATE_VERSION, "partition epoch 3 is stale"),
                new CommandResult.HeartbeatAccepted(true),
                new CommandResult.BrokersFenced(List.of(1, 3)),
                new CommandResult.TopicCreated(TOPIC_ID, 12),
                new CommandResult.PartitionUpdated(
                        "orders", 4, image().topic("orders").partition(1)),
                new CommandResult.IdRange(7_000, 1000));
    }

    static MetadataImage image() {
        MetadataImage image =
                new MetadataImage(1234, 7, new java.util.TreeMap<>(), new java.util.TreeMap<>(), 3000, 57);
        image = image.withBroker(new BrokerRegistration(1, INCARNATION, ENDPOINTS, false, 1_700_000_000_500L));
        image = image.withBroker(new BrokerRegistration(2, TOPIC_ID, List.of(), true, 0));
        return image.withTopic(TopicImage.of(
                        "orders",
                        TOPIC_ID,
                        Map.of("min.insync.replicas", "2"),
                        List.of(
                                PartitionState.created(List.of(1, 2), List.of(1, 2), 1),
                                new PartitionState(List.of(2, 3, 1), List.of(2), 2, 4, 9, List.of(3), List.of(1)),
                                new PartitionState(
                                        List.of(1), List.of(1), PartitionState.NO_LEADER, 3, 3, List.of(), List.of()))))
                .withTopic(TopicImage.of(
                        "empty-configs",
                        UUID.fromString("00000000-0000-0000-0000-00000000000a"),
                        Map.of(),
                        List.of(PartitionState.created(List.of(2), List.of(2), 2))));
    }
}
