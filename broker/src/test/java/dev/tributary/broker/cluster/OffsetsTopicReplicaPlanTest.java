package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.cluster.ReplicaPlan.Follow;
import dev.tributary.broker.cluster.ReplicaPlan.Lead;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code __consumer_offsets} is a cluster topic: a node leads and follows its partitions like any other's. */
class OffsetsTopicReplicaPlanTest {
    private static final int SELF = 2;

    @Test
    void leadsAndFollowsThePartitionsOfTheOffsetsTopic() {
        UUID id = new UUID(7, 7);
        TopicImage offsets = TopicImage.of(
                "__consumer_offsets",
                id,
                Map.of("cleanup.policy", "compact"),
                List.of(
                        PartitionState.created(List.of(2, 1, 3), List.of(2, 1, 3), 2),
                        PartitionState.created(List.of(1, 2, 3), List.of(1, 2, 3), 1)));
        MetadataImage after = MetadataImage.EMPTY.withTopic(offsets);

        List<ReplicaPlan.Action> actions = ReplicaPlan.between(MetadataImage.EMPTY, after, SELF);

        assertThat(actions).hasSize(2);
        assertThat(actions.get(0))
                .isInstanceOfSatisfying(
                        Lead.class, l -> assertThat(l.partition()).isEqualTo(new PartitionId("__consumer_offsets", 0)));
        assertThat(actions.get(1))
                .isEqualTo(new Follow(
                        new PartitionId("__consumer_offsets", 1), id, Map.of("cleanup.policy", "compact"), 1, 0));
        assertThat(ClusterTopics.isLocalOnly("__consumer_offsets")).isFalse();
    }
}
