package dev.tributary.metadata.apply;

import static dev.tributary.metadata.apply.TestImages.apply;
import static dev.tributary.metadata.apply.TestImages.applyOk;
import static dev.tributary.metadata.apply.TestImages.applyRefused;
import static dev.tributary.metadata.apply.TestImages.broker;
import static dev.tributary.metadata.apply.TestImages.partitionOf;
import static dev.tributary.metadata.apply.TestImages.topicId;
import static dev.tributary.metadata.apply.TestImages.withLiveBrokers;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.metadata.command.CommandResult.IdRange;
import dev.tributary.metadata.command.CommandResult.TopicCreated;
import dev.tributary.metadata.command.MetadataCommand.AllocateProducerIds;
import dev.tributary.metadata.command.MetadataCommand.AllocateSchemaIds;
import dev.tributary.metadata.command.MetadataCommand.CreatePartitions;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.command.MetadataCommand.DeleteTopic;
import dev.tributary.metadata.command.MetadataCommand.UpdateTopicConfig;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Topics, partitions, configs and id allocation. */
class TopicCommandsTest {

    private static final UUID ID = topicId("orders");

    private static CreateTopic create(String name, List<List<Integer>> assignment) {
        return CreateTopic.of(name, topicId(name), assignment, Map.of());
    }

    @Test
    void shouldCreateATopicWithItsAssignmentLedByTheFirstReplica() {
        MetadataImage image = withLiveBrokers(1, 2, 3);
        Applied created = apply(
                image,
                CreateTopic.of("orders", ID, List.of(List.of(2, 3), List.of(3, 1)), Map.of("retention.ms", "60000")));
        assertThat(created.result()).isEqualTo(new TopicCreated(ID, 2));
        assertThat(created.image().topic("orders").configs()).containsEntry("retention.ms", "60000");
        assertThat(partitionOf(created.image(), "orders", 0))
                .isEqualTo(PartitionState.created(List.of(2, 3), List.of(2, 3), 2));
        assertThat(partitionOf(created.image(), "orders", 1).leader()).isEqualTo(3);
    }

    @Test
    void shouldStartTheIsrWithTheLiveReplicasOnlyAndLeadWithTheFirstLiveOne() {
        MetadataImage image = withLiveBrokers(2, 3).withBroker(broker(1, true, 0));
        PartitionState p = partitionOf(applyOk(image, create("orders", List.of(List.of(1, 2, 3)))), "orders", 0);
        assertThat(p.isr()).containsExactly(2, 3);
        assertThat(p.leader()).isEqualTo(2);
    }

    @Test
    void shouldRefuseBadTopicCreations() {
        MetadataImage image = withLiveBrokers(1, 2).withBroker(broker(3, true, 0));
        MetadataImage withOrders = applyOk(image, create("orders", List.of(List.of(1))));
        applyRefused(withOrders, create("orders", List.of(List.of(2))), MetadataError.TOPIC_ALREADY_EXISTS);
        assertThat(applyRefused(
                        withOrders,
                        CreateTopic.of("other", ID, List.of(List.of(1)), Map.of()),
                        MetadataError.INVALID_REQUEST))
                .contains(ID.toString(), "orders");
        applyRefused(image, create("", List.of(List.of(1))), MetadataError.INVALID_TOPIC_EXCEPTION);
        applyRefused(image, create("..", List.of(List.of(1))), MetadataError.INVALID_TOPIC_EXCEPTION);
        applyRefused(image, create("a".repeat(250), List.of(List.of(1))), MetadataError.INVALID_TOPIC_EXCEPTION);
        assertThat(applyRefused(image, create("a b", List.of(List.of(1))), MetadataError.INVALID_TOPIC_EXCEPTION))
                .contains("\"a b\"");
        applyRefused(image, create("t", List.of()), MetadataError.INVALID_PARTITIONS);
        applyRefused(image, create("t", List.of(List.of())), MetadataError.INVALID_REPLICA_ASSIGNMENT);
        applyRefused(image, create("t", List.of(List.of(1, 1))), MetadataError.INVALID_REPLICA_ASSIGNMENT);
        assertThat(applyRefused(
                        image, create("t", List.of(List.of(1), List.of(7))), MetadataError.INVALID_REPLICA_ASSIGNMENT))
                .contains("t-1", "broker 7");
        assertThat(applyRefused(image, create("t", List.of(List.of(3))), MetadataError.INVALID_REPLICA_ASSIGNMENT))
                .contains("fenced");
    }

    @Test
    void shouldDeleteATopicAndLetTheNameBeReusedWithANewId() {
        MetadataImage image = applyOk(withLiveBrokers(1), create("orders", List.of(List.of(1))));
        MetadataImage deleted = applyOk(image, new DeleteTopic("orders"));
        assertThat(deleted.topic("orders")).isNull();
        applyRefused(deleted, new DeleteTopic("orders"), MetadataError.UNKNOWN_TOPIC_OR_PARTITION);
        UUID newId = UUID.randomUUID();
        MetadataImage again = applyOk(deleted, CreateTopic.of("orders", newId, List.of(List.of(1)), Map.of()));
        assertThat(again.topic("orders").topicId()).isEqualTo(newId);
    }

    @Test
    void shouldAppendCreatedPartitionsAfterTheExistingOnes() {
        MetadataImage image = applyOk(withLiveBrokers(1, 2), create("orders", List.of(List.of(1, 2))));
        MetadataImage grown = applyOk(image, new CreatePartitions("orders", List.of(List.of(2, 1), List.of(1, 2))));
        assertThat(grown.topic("orders").partitionCount()).isEqualTo(3);
        assertThat(partitionOf(grown, "orders", 0)).isEqualTo(partitionOf(image, "orders", 0));
        assertThat(partitionOf(grown, "orders", 1).leader()).isEqualTo(2);
        applyRefused(
                image, new CreatePartitions("nope", List.of(List.of(1))), MetadataError.UNKNOWN_TOPIC_OR_PARTITION);
        applyRefused(image, new CreatePartitions("orders", List.of()), MetadataError.INVALID_PARTITIONS);
        assertThat(applyRefused(
                        image,
                        new CreatePartitions("orders", List.of(List.of(5))),
                        MetadataError.INVALID_REPLICA_ASSIGNMENT))
                .contains("orders-1");
    }

    @Test
    void shouldSetAndRemoveTopicConfigs() {
        MetadataImage image = applyOk(
                withLiveBrokers(1),
                CreateTopic.of(
                        "orders", ID, List.of(List.of(1)), Map.of("retention.ms", "1", "cleanup.policy", "delete")));
        MetadataImage next = applyOk(
                image,
                UpdateTopicConfig.of(
                        "orders",
                        Map.of("retention.ms", "2", "segment.bytes", "1024"),
                        List.of("cleanup.policy", "not.set")));
        assertThat(next.topic("orders").configs())
                .containsExactly(Map.entry("retention.ms", "2"), Map.entry("segment.bytes", "1024"));
        applyRefused(
                image, UpdateTopicConfig.of("nope", Map.of(), List.of()), MetadataError.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldHandOutProducerIdBlocksOfAThousandWithoutOverlap() {
        MetadataImage image = withLiveBrokers(1, 2);
        Applied first = apply(image, new AllocateProducerIds(1, 0));
        assertThat(first.result()).isEqualTo(new IdRange(0, 1000));
        Applied second = apply(first.image(), new AllocateProducerIds(2, 0));
        assertThat(second.result()).isEqualTo(new IdRange(1000, 1000));
        // ids a single-node broker handed out before the quorum existed are skipped
        Applied floor = apply(second.image(), new AllocateProducerIds(2, 5_500));
        assertThat(floor.result()).isEqualTo(new IdRange(5_500, 1000));
        assertThat(floor.image().nextProducerId()).isEqualTo(6_500);
        applyRefused(image, new AllocateProducerIds(9, 0), MetadataError.UNKNOWN_BROKER);
        applyRefused(
                image.withNextProducerId(Long.MAX_VALUE - 10),
                new AllocateProducerIds(1, 0),
                MetadataError.ID_SPACE_EXHAUSTED);
    }

    @Test
    void shouldHandOutSchemaIdsFromOneUpwards() {
        Applied first = apply(MetadataImage.EMPTY, new AllocateSchemaIds(3, 0));
        assertThat(first.result()).isEqualTo(new IdRange(1, 3));
        Applied second = apply(first.image(), new AllocateSchemaIds(1, 0));
        assertThat(second.result()).isEqualTo(new IdRange(4, 1));
        assertThat(apply(second.image(), new AllocateSchemaIds(1, 100)).result())
                .isEqualTo(new IdRange(100, 1));
        applyRefused(MetadataImage.EMPTY, new AllocateSchemaIds(0, 0), MetadataError.INVALID_REQUEST);
        applyRefused(
                MetadataImage.EMPTY.withNextSchemaId(Integer.MAX_VALUE),
                new AllocateSchemaIds(2, 0),
                MetadataError.ID_SPACE_EXHAUSTED);
    }
}
