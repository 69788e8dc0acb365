package dev.tributary.metadata.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.metadata.apply.ReplicaAssigner.Assigned;
import dev.tributary.metadata.apply.ReplicaAssigner.NotEnoughBrokers;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplicaAssignerTest {

    private static List<List<Integer>> assigned(ReplicaAssigner.Outcome outcome) {
        assertThat(outcome).isInstanceOf(Assigned.class);
        return ((Assigned) outcome).replicas();
    }

    @Test
    void shouldSpreadLeadersEvenlyAndNeverRepeatABrokerInAPartition() {
        List<List<Integer>> a = assigned(ReplicaAssigner.assign(List.of(1, 2, 3, 4, 5), 0, 10, 3, 0, 0));
        Map<Integer, Integer> leaders = new HashMap<>();
        Map<Integer, Integer> replicas = new HashMap<>();
        for (List<Integer> partition : a) {
            assertThat(partition).hasSize(3).doesNotHaveDuplicates();
            leaders.merge(partition.get(0), 1, Integer::sum);
            partition.forEach(b -> replicas.merge(b, 1, Integer::sum));
        }
        assertThat(leaders)
                .containsOnlyKeys(1, 2, 3, 4, 5)
                .allSatisfy((b, n) -> assertThat(n).isEqualTo(2));
        assertThat(replicas).allSatisfy((b, n) -> assertThat(n).isEqualTo(6));
    }

    @Test
    void shouldShiftFollowersAfterEachRoundOfLeaders() {
        List<List<Integer>> a = assigned(ReplicaAssigner.assign(List.of(1, 2, 3), 0, 6, 2, 0, 0));
        // first round: followers right after the leader; second round: one further
        assertThat(a)
                .containsExactly(
                        List.of(1, 2), List.of(2, 3), List.of(3, 1), List.of(1, 3), List.of(2, 1), List.of(3, 2));
    }

    @Test
    void shouldStartTheLeaderRotationAtTheGivenBroker() {
        assertThat(assigned(ReplicaAssigner.assign(List.of(1, 2, 3), 0, 2, 1, 2, 0)))
                .containsExactly(List.of(3), List.of(1));
    }

    @Test
    void shouldReportNotEnoughBrokersWhenTheReplicationFactorExceedsLiveBrokers() {
        MetadataImage image = TestImages.withLiveBrokers(1, 2).withBroker(TestImages.broker(3, true, 0));
        assertThat(ReplicaAssigner.forNewTopic(image, 4, 3, 7)).isEqualTo(new NotEnoughBrokers(3, 2));
    }

    @Test
    void shouldUseOnlyLiveBrokersForANewTopic() {
        MetadataImage image = TestImages.withLiveBrokers(1, 2, 4).withBroker(TestImages.broker(3, true, 0));
        Set<Integer> used = new HashSet<>();
        assigned(ReplicaAssigner.forNewTopic(image, 12, 2, 12345)).forEach(used::addAll);
        assertThat(used).containsExactlyInAnyOrder(1, 2, 4);
    }

    @Test
    void shouldContinueTheLeaderRotationWhenPartitionsAreAdded() {
        MetadataImage image = TestImages.withLiveBrokers(1, 2, 3);
        TopicImage topic = TopicImage.of(
                "t",
                TestImages.topicId("t"),
                Map.of(),
                List.of(
                        PartitionState.created(List.of(2, 3), List.of(2, 3), 2),
                        PartitionState.created(List.of(3, 1), List.of(3, 1), 3)));
        List<List<Integer>> added = assigned(ReplicaAssigner.forNewPartitions(image, topic, 2));
        assertThat(added).extracting(p -> p.get(0)).containsExactly(1, 2);
        assertThat(added).allSatisfy(p -> assertThat(p).hasSize(2).doesNotHaveDuplicates());
    }

    @Test
    void shouldRefuseNonPositiveCounts() {
        assertThatThrownBy(() -> ReplicaAssigner.assign(List.of(1), 0, 0, 1, 0, 0))
                .hasMessageContaining("partition count must be positive, got 0");
        assertThatThrownBy(() -> ReplicaAssigner.assign(List.of(1), 0, 1, -1, 0, 0))
                .hasMessageContaining("replication factor must be positive, got -1");
    }
}
