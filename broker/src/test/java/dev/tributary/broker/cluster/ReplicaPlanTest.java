package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.cluster.ReplicaPlan.Follow;
import dev.tributary.broker.cluster.ReplicaPlan.IsrChanged;
import dev.tributary.broker.cluster.ReplicaPlan.Lead;
import dev.tributary.broker.cluster.ReplicaPlan.Stop;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.replication.LeaderAndIsr;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

    private static final Map<String, String> CONFIGS = Map.of("retention.ms", "1000");

    /** Lead of a single-replica partition led by SELF at epoch 0. */
    private static Lead lead(String topic, int partition, UUID id) {
        return new Lead(p(topic, partition), id, CONFIGS, new LeaderAndIsr(SELF, 0, List.of(SELF), Set.of(SELF), 0));
    }

    /** A topic of one partition on replicas 1, 2, 3 with the given state. */
    private static MetadataImage replicated(PartitionState state) {
        return MetadataImage.EMPTY.withTopic(TopicImage.of("r", ID, CONFIGS, List.of(state)));
    }

    @Test
    void leadsThePartitionsOfANewTopicThatItLeadsAndNoOthers() {
        MetadataImage after = MetadataImage.EMPTY.withTopic(topic("t", ID, 1, 2, 3, 2));

        assertThat(ReplicaPlan.between(MetadataImage.EMPTY, after, SELF))
                .containsExactly(lead("t", 1, ID), lead("t", 3, ID));
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

        assertThat(ReplicaPlan.between(before, after, SELF)).containsExactly(lead("t", 3, ID));
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
                .containsExactly(new Stop(p("t", 0)), lead("t", 0, OTHER_ID), lead("t", 1, OTHER_ID));
    }

    @Test
    void keepsTheLogOfAPartitionThatLostItsLeaderAndLeadsItAgainWhenLeadershipComesBack() {
        MetadataImage led = MetadataImage.EMPTY.withTopic(topic("t", ID, 2));
        PartitionState fenced = led.topic("t").partition(0).withLeaderAndIsr(PartitionState.NO_LEADER, List.of(2));
        MetadataImage leaderless = led.withTopic(led.topic("t").withPartition(0, fenced));
        PartitionState back = fenced.withLeaderAndIsr(SELF, List.of(2));
        MetadataImage ledAgain = leaderless.withTopic(leaderless.topic("t").withPartition(0, back));

        assertThat(ReplicaPlan.between(led, leaderless, SELF))
                .as("fenced: the data stays, nobody is followed")
                .containsExactly(new Follow(p("t", 0), ID, CONFIGS, PartitionState.NO_LEADER, 1));
        assertThat(ReplicaPlan.between(leaderless, ledAgain, SELF))
                .containsExactly(new Lead(p("t", 0), ID, CONFIGS, new LeaderAndIsr(SELF, 2, List.of(2), Set.of(2), 2)));
    }

    @Test
    void followsTheLeaderOfAReplicatedPartitionAndFollowsAgainOnlyWhenLeaderOrEpochChanges() {
        PartitionState created = PartitionState.created(List.of(1, 2, 3), List.of(1, 2, 3), 1);
        MetadataImage before = replicated(created);

        assertThat(ReplicaPlan.between(MetadataImage.EMPTY, before, SELF))
                .containsExactly(new Follow(p("r", 0), ID, CONFIGS, 1, 0));

        PartitionState shrunk = created.withIsr(List.of(1, 2));
        assertThat(ReplicaPlan.between(before, replicated(shrunk), SELF))
                .as("an ISR change is the leader's business")
                .isEmpty();

        PartitionState moved = shrunk.withLeaderAndIsr(3, List.of(2, 3));
        assertThat(ReplicaPlan.between(replicated(shrunk), replicated(moved), SELF))
                .containsExactly(new Follow(p("r", 0), ID, CONFIGS, 3, 1));
    }

    @Test
    void aLeaderHearsOfCommittedIsrChangesAndLeadsAfreshUnderANewEpochOrReplicaSet() {
        PartitionState created = PartitionState.created(List.of(2, 1, 3), List.of(2, 1, 3), SELF);
        MetadataImage before = replicated(created);
        assertThat(ReplicaPlan.between(MetadataImage.EMPTY, before, SELF))
                .containsExactly(new Lead(
                        p("r", 0), ID, CONFIGS, new LeaderAndIsr(SELF, 0, List.of(2, 1, 3), Set.of(1, 2, 3), 0)));

        PartitionState shrunk = created.withIsr(List.of(2, 3));
        assertThat(ReplicaPlan.between(before, replicated(shrunk), SELF))
                .containsExactly(new IsrChanged(p("r", 0), Set.of(2, 3), 1));

        PartitionState grown = shrunk.withReplicas(List.of(2, 1, 3, 4), List.of(4), List.of());
        assertThat(ReplicaPlan.between(replicated(shrunk), replicated(grown), SELF))
                .as("a new replica to track: a fresh replication state, same epoch")
                .containsExactly(new Lead(
                        p("r", 0), ID, CONFIGS, new LeaderAndIsr(SELF, 0, List.of(2, 1, 3, 4), Set.of(2, 3), 2)));

        PartitionState lost = shrunk.withLeaderAndIsr(3, List.of(3));
        assertThat(ReplicaPlan.between(replicated(shrunk), replicated(lost), SELF))
                .containsExactly(new Follow(p("r", 0), ID, CONFIGS, 3, 1));
    }

    @Test
    void stopsAPartitionThatNoLongerListsThisNodeAsAReplica() {
        MetadataImage before = MetadataImage.EMPTY.withTopic(topic("t", ID, 2));
        MetadataImage after = MetadataImage.EMPTY.withTopic(topic("t", ID, 3));

        assertThat(ReplicaPlan.between(before, after, SELF)).containsExactly(new Stop(p("t", 0)));
    }

    @Test
    void replicatesTheGroupCoordinatorsTopicLikeAnyClusterTopic() {
        MetadataImage after = MetadataImage.EMPTY.withTopic(topic("__consumer_offsets", ID, 1, 2));

        assertThat(ReplicaPlan.between(MetadataImage.EMPTY, after, SELF))
                .containsExactly(lead("__consumer_offsets", 1, ID));
        assertThat(ReplicaPlan.between(after, MetadataImage.EMPTY, SELF))
                .containsExactly(new Stop(p("__consumer_offsets", 1)));
    }

    @Test
    void replicatesTheSchemaRegistrysTopicLikeAnyClusterTopic() {
        MetadataImage after = MetadataImage.EMPTY.withTopic(topic("_schemas", OTHER_ID, 2));

        assertThat(ReplicaPlan.between(MetadataImage.EMPTY, after, SELF))
                .containsExactly(lead("_schemas", 0, OTHER_ID));
        assertThat(ReplicaPlan.between(after, MetadataImage.EMPTY, SELF)).containsExactly(new Stop(p("_schemas", 0)));
    }

    @Test
    void appliesChangedTopicConfigsToThePartitionsItKeepsServingInTheSameRole() {
        PartitionState led = PartitionState.created(List.of(SELF, 1, 3), List.of(SELF, 1, 3), SELF);
        PartitionState followed = PartitionState.created(List.of(1, SELF, 3), List.of(1, SELF, 3), 1);
        PartitionState elsewhere = PartitionState.created(List.of(1, 3), List.of(1, 3), 1);
        Map<String, String> changed = Map.of("retention.ms", "5000", "min.insync.replicas", "3");
        MetadataImage before =
                MetadataImage.EMPTY.withTopic(TopicImage.of("c", ID, CONFIGS, List.of(led, followed, elsewhere)));
        MetadataImage after =
                MetadataImage.EMPTY.withTopic(TopicImage.of("c", ID, changed, List.of(led, followed, elsewhere)));

        assertThat(ReplicaPlan.between(before, after, SELF))
                .containsExactly(
                        new ReplicaPlan.ConfigsChanged(p("c", 0), changed),
                        new ReplicaPlan.ConfigsChanged(p("c", 1), changed));
    }

    @Test
    void aNewRoleCarriesTheNewConfigsWithoutASeparateChange() {
        PartitionState followed = PartitionState.created(List.of(1, SELF, 3), List.of(1, SELF, 3), 1);
        Map<String, String> changed = Map.of("min.insync.replicas", "3");
        MetadataImage before = replicated(followed);
        MetadataImage after = MetadataImage.EMPTY.withTopic(
                TopicImage.of("r", ID, changed, List.of(followed.withLeaderAndIsr(SELF, List.of(SELF, 3)))));

        assertThat(ReplicaPlan.between(before, after, SELF))
                .singleElement()
                .isInstanceOfSatisfying(
                        Lead.class, lead -> assertThat(lead.configs()).isEqualTo(changed));
    }

    @Test
    void findsTheReplicasOnDiskThatTheMetadataNoLongerGivesThisNode() {
        PartitionState mine = PartitionState.created(List.of(1, SELF, 3), List.of(1, SELF, 3), 1);
        PartitionState notMine = PartitionState.created(List.of(1, 3), List.of(1, 3), 1);
        MetadataImage image = MetadataImage.EMPTY
                .withTopic(TopicImage.of("kept", ID, CONFIGS, List.of(mine, notMine)))
                .withTopic(TopicImage.of("again", OTHER_ID, CONFIGS, List.of(mine)));
        Map<PartitionId, java.util.Optional<UUID>> onDisk = Map.of(
                p("kept", 0), java.util.Optional.of(ID),
                p("kept", 1), java.util.Optional.of(ID),
                p("kept", 7), java.util.Optional.empty(),
                p("deleted", 0), java.util.Optional.of(ID),
                p("again", 0), java.util.Optional.of(ID),
                p("kept-unrecorded", 0), java.util.Optional.empty());

        assertThat(ReplicaPlan.staleReplicas(image, onDisk, SELF))
                .containsExactly(p("again", 0), p("deleted", 0), p("kept", 1), p("kept", 7), p("kept-unrecorded", 0));
        assertThat(ReplicaPlan.staleReplicas(image, Map.of(p("kept", 0), java.util.Optional.empty()), SELF))
                .as("a replica written before topic ids were recorded is kept")
                .isEmpty();
    }
}
