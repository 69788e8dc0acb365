package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.errors.InvalidPartitionsException;
import dev.tributary.broker.errors.InvalidReplicaAssignmentException;
import dev.tributary.broker.errors.InvalidReplicationFactorException;
import dev.tributary.broker.errors.TopicExistsException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.metadata.command.MetadataCommand.CreatePartitions;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** From an admin request to the command a cluster node submits to the metadata quorum. */
class TopicCommandsTest {
    private static final UUID ID = new UUID(7, 7);

    private static MetadataImage threeBrokersOneFenced() {
        MetadataImage image = MetadataImage.EMPTY;
        for (int id = 1; id <= 4; id++) {
            image = image.withBroker(new BrokerRegistration(
                    id, UUID.randomUUID(), List.of(new Endpoint("PLAINTEXT", "h", 9000 + id)), id == 4, 0));
        }
        return image;
    }

    @Test
    void spreadsTheLeadersOfANewTopicOverTheLiveBrokersWithOneReplicaEach() {
        CreateTopic c = TopicCommands.createTopic(
                threeBrokersOneFenced(), "t", 6, 1, List.of(), Map.of("retention.ms", "5"), ID, 42);

        assertThat(c.name()).isEqualTo("t");
        assertThat(c.topicId()).isEqualTo(ID);
        assertThat(c.configs()).containsEntry("retention.ms", "5");
        assertThat(c.assignment()).hasSize(6).allSatisfy(r -> assertThat(r).hasSize(1));
        Set<Integer> leaders = new TreeSet<>();
        c.assignment().forEach(r -> leaders.add(r.get(0)));
        assertThat(leaders).as("fenced broker 4 gets nothing").containsExactly(1, 2, 3);
    }

    @Test
    void spreadsThreeReplicasOfEachPartitionOverThreeLiveBrokers() {
        CreateTopic c = TopicCommands.createTopic(threeBrokersOneFenced(), "t", 3, 3, List.of(), Map.of(), ID, 1);

        assertThat(c.assignment()).hasSize(3).allSatisfy(r -> assertThat(r).containsExactlyInAnyOrder(1, 2, 3));
        Set<Integer> leaders = new TreeSet<>();
        c.assignment().forEach(r -> leaders.add(r.get(0)));
        assertThat(leaders).as("preferred leaders spread").containsExactly(1, 2, 3);
        assertThatThrownBy(
                        () -> TopicCommands.createTopic(threeBrokersOneFenced(), "t", 3, 4, List.of(), Map.of(), ID, 1))
                .as("only three live brokers")
                .isInstanceOf(InvalidReplicationFactorException.class);
    }

    @Test
    void refusesAnExplicitAssignmentWithUnevenOrDuplicateReplicas() {
        assertThatThrownBy(() -> TopicCommands.createTopic(
                        threeBrokersOneFenced(), "t", -1, 1, List.of(List.of(1, 2), List.of(3)), Map.of(), ID, 1))
                .isInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("same number");
        assertThatThrownBy(() -> TopicCommands.createTopic(
                        threeBrokersOneFenced(), "t", -1, 1, List.of(List.of(1, 1)), Map.of(), ID, 1))
                .isInstanceOf(InvalidReplicaAssignmentException.class)
                .hasMessageContaining("twice");
        assertThat(TopicCommands.createTopic(
                                threeBrokersOneFenced(),
                                "t",
                                -1,
                                1,
                                List.of(List.of(2, 3), List.of(3, 1)),
                                Map.of(),
                                ID,
                                1)
                        .assignment())
                .containsExactly(List.of(2, 3), List.of(3, 1));
    }

    @Test
    void refusesATopicWithNoLiveBrokerAnExistingNameOrNoPartitions() {
        assertThatThrownBy(() -> TopicCommands.createTopic(MetadataImage.EMPTY, "t", 3, 1, List.of(), Map.of(), ID, 1))
                .isInstanceOf(InvalidReplicationFactorException.class)
                .hasMessageContaining("0 live brokers");
        MetadataImage withT = threeBrokersOneFenced()
                .withTopic(
                        TopicImage.of("t", ID, Map.of(), List.of(PartitionState.created(List.of(1), List.of(1), 1))));
        assertThatThrownBy(() -> TopicCommands.createTopic(withT, "t", 3, 1, List.of(), Map.of(), ID, 1))
                .isInstanceOf(TopicExistsException.class);
        assertThatThrownBy(() -> TopicCommands.createTopic(withT, "u", 0, 1, List.of(), Map.of(), ID, 1))
                .isInstanceOf(InvalidPartitionsException.class);
    }

    @Test
    void keepsAnExplicitSingleReplicaAssignment() {
        CreateTopic c = TopicCommands.createTopic(
                threeBrokersOneFenced(), "t", -1, -1, List.of(List.of(3), List.of(1)), Map.of(), ID, 1);

        assertThat(c.assignment()).containsExactly(List.of(3), List.of(1));
    }

    @Test
    void growsATopicWithNewPartitionsOnLiveBrokers() {
        MetadataImage image = threeBrokersOneFenced()
                .withTopic(
                        TopicImage.of("t", ID, Map.of(), List.of(PartitionState.created(List.of(2), List.of(2), 2))));

        CreatePartitions c = TopicCommands.createPartitions(image, "t", 4);

        assertThat(c.topic()).isEqualTo("t");
        assertThat(c.newAssignments())
                .hasSize(3)
                .allSatisfy(r -> assertThat(r).hasSize(1).first().isIn(1, 2, 3));
        assertThatThrownBy(() -> TopicCommands.createPartitions(image, "t", 1))
                .isInstanceOf(InvalidPartitionsException.class);
        assertThatThrownBy(() -> TopicCommands.createPartitions(image, "nope", 3))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }
}
