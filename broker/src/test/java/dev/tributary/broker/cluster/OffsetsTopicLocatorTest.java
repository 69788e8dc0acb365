package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.group.CoordinatorLocator.Located;
import dev.tributary.broker.group.CoordinatorLocator.Unavailable;
import dev.tributary.broker.group.GroupError;
import dev.tributary.broker.group.GroupPartitioner;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** FindCoordinator on a cluster node: the leader of the group's {@code __consumer_offsets} partition. */
class OffsetsTopicLocatorTest {

    private static final ClusterView LIVE = new ClusterView(
            List.of(
                    new ClusterView.Node(1, "h1", 9001),
                    new ClusterView.Node(2, "h2", 9002),
                    new ClusterView.Node(3, "h3", 9003)),
            1);

    private static TopicImage offsets(int... leaders) {
        List<PartitionState> partitions = new java.util.ArrayList<>();
        for (int leader : leaders) {
            partitions.add(PartitionState.created(List.of(1, 2, 3), List.of(1, 2, 3), leader));
        }
        return TopicImage.of("__consumer_offsets", UUID.randomUUID(), Map.of("cleanup.policy", "compact"), partitions);
    }

    private static String groupOn(int partition, int partitions) {
        for (int i = 0; ; i++) {
            if (GroupPartitioner.partitionFor("g" + i, partitions) == partition) {
                return "g" + i;
            }
        }
    }

    @Test
    void shouldNameTheLeaderOfTheGroupsPartition() {
        TopicImage topic = offsets(3, 1, 2);

        assertThat(OffsetsTopicLocator.coordinatorOf(groupOn(0, 3), topic, LIVE))
                .isEqualTo(new Located(3, "h3", 9003));
        assertThat(OffsetsTopicLocator.coordinatorOf(groupOn(1, 3), topic, LIVE))
                .isEqualTo(new Located(1, "h1", 9001));
        assertThat(OffsetsTopicLocator.coordinatorOf(groupOn(2, 3), topic, LIVE))
                .isEqualTo(new Located(2, "h2", 9002));
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableWhileThePartitionHasNoLeader() {
        TopicImage topic = offsets(PartitionState.NO_LEADER, 1, 2);

        assertThat(OffsetsTopicLocator.coordinatorOf(groupOn(0, 3), topic, LIVE))
                .isInstanceOfSatisfying(
                        Unavailable.class, u -> assertThat(u.error()).isEqualTo(GroupError.COORDINATOR_NOT_AVAILABLE));
    }

    @Test
    void shouldAnswerCoordinatorNotAvailableWhenTheLeaderIsNotALiveBroker() {
        TopicImage topic = offsets(3, 1, 2);
        ClusterView withoutThree = new ClusterView(LIVE.brokers().subList(0, 2), 1);

        assertThat(OffsetsTopicLocator.coordinatorOf(groupOn(0, 3), topic, withoutThree))
                .isInstanceOfSatisfying(
                        Unavailable.class, u -> assertThat(u.message()).contains("broker 3"));
    }
}
