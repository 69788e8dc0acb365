package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.cluster.ReplicaPlan.Lead;
import dev.tributary.broker.cluster.ReplicaPlan.Stop;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What a node does with its local logs when the metadata image changes: pure decisions, no logs opened. */
class ReplicaPlanTest {
    private static final int SELF = 2;
    private static final UUID ID = new UUID(1, 1);
    private static final UUID OTHER_ID = new UUID(2, 2);

    /** A topic whose partition p has the single replica (and leader) {@code leaders[p]}. */
    private static TopicImage topic(String name, UUID id, int... leaders) {
        List<PartitionState> partitions = new ArrayList<>();
        for (int leader : leaders) {
            partitions.add(PartitionState.created(List.of(leader), List.of(leader), leader));
        }
        return TopicImage.of(name, id, Map.of("retention.ms", "1000"), partitions);
    }

    private static PartitionId p(String topic, int partition) {
        return new PartitionId(topic, partition);
    }

    @Test
    void leadsThePartitionsOfANewTopicThatItLeadsAndNoOthers() {
        MetadataImage after = MetadataImage.EMPTY.withTopic(topic("t", ID, 1, 2, 3, 2));

        assertThat(ReplicaPlan.between(MetadataImage.EMPTY, after, SELF))
                .containsExactly(
                        new Lead(p("t", 1), ID, Map.of("retention.ms", "1000")),
                        new Lead(p("t", 3), ID, Map.of("retention.ms", "1000")));
    }

    @Test
    void doesNothingWhenNothingOfItsOwnChanged() {
        MetadataImage before = MetadataImage.EMPTY.withTopic(topic("t", ID, 1, 2));
        MetadataImage after = before.withTopic(topic("u", OTHER_ID, 1, 3));

        assertThat(ReplicaPlan.between(before, after, SELF)).isEmpty();
    }

    @Test
    void leadsOnlyTheAddedPartitionsWhenATopicGrows() {
        MetadataImage before = MetadataImage.EMPTY.withTopic(topic("t", ID, 2, 3));
        MetadataImage after = MetadataImage.EMPTY.withTopic(topic("t", ID, 2, 3, 1, 2));

        assertThat(ReplicaPlan.between(before, after, SELF))
                .containsExactly(new Lead(p("t", 3), ID, Map.of("retention.ms", "1000")));
    }

    @Test
    void stopsAndDeletesItsPartitionsOfADeletedTopic() {
        MetadataImage before = MetadataImage.EMPTY.withTopic(topic("t", ID, 2, 3, 2));
        MetadataImage after = before.withoutTopic("t");

        assertThat(ReplicaPlan.between(before, after, SELF)).containsExactly(new Stop(p("t", 0)), new Stop(p("t", 2)));
    }

    @Test
    void aTopicCreatedAgainUnderTheSameNameStartsFromEmptyLogs() {
        MetadataImage before = MetadataImage.EMPTY.withTopic(topic("t", ID, 2, 3));
        MetadataImage after = MetadataImage.EMPTY.withTopic(topic("t", OTHER_ID, 2, 2));

        // the old partition 0 is stopped (its data deleted) before the new topic's partitions are opened
        assertThat(ReplicaPlan.between(before, after, SELF))
                .containsExactly(
                        new Stop(p("t", 0)),
                        new Lead(p("t", 0), OTHER_ID, Map.of("retention.ms", "1000")),
                        new Lead(p("t", 1), OTHER_ID, Map.of("retention.ms", "1000")));
    }

    @Test
    void keepsTheLogOfAPartitionThatLostItsLeaderAndLeadsItAgainWhenLeadershipComesBack() {
        MetadataImage led = MetadataImage.EMPTY.withTopic(topic("t", ID, 2));
        PartitionState fenced = led.topic("t").partition(0).withLeaderAndIsr(PartitionState.NO_LEADER, List.of(2));
        MetadataImage leaderless = led.withTopic(led.topic("t").withPartition(0, fenced));
        MetadataImage ledAgain =
                leaderless.withTopic(leaderless.topic("t").withPartition(0, fenced.withLeaderAndIsr(SELF, List.of(2))));

        assertThat(ReplicaPlan.between(led, leaderless, SELF))
                .as("fenced: the data stays")
                .isEmpty();
        assertThat(ReplicaPlan.between(leaderless, ledAgain, SELF))
                .containsExactly(new Lead(p("t", 0), ID, Map.of("retention.ms", "1000")));
    }

    @Test
    void stopsAPartitionThatNoLongerListsThisNodeAsAReplica() {
        MetadataImage before = MetadataImage.EMPTY.withTopic(topic("t", ID, 2));
        MetadataImage after = MetadataImage.EMPTY.withTopic(topic("t", ID, 3));

        assertThat(ReplicaPlan.between(before, after, SELF)).containsExactly(new Stop(p("t", 0)));
    }

    @Test
    void neverTouchesTheBrokersOwnTopicsWhichEachNodeKeepsForItself() {
        MetadataImage after = MetadataImage.EMPTY
                .withTopic(topic("__consumer_offsets", ID, 2))
                .withTopic(topic("_schemas", OTHER_ID, 2));

        assertThat(ReplicaPlan.between(MetadataImage.EMPTY, after, SELF)).isEmpty();
        assertThat(ReplicaPlan.between(after, MetadataImage.EMPTY, SELF)).isEmpty();
    }
}
