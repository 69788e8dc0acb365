package dev.tributary.metadata.apply;

import static dev.tributary.metadata.apply.TestImages.apply;
import static dev.tributary.metadata.apply.TestImages.applyOk;
import static dev.tributary.metadata.apply.TestImages.applyRefused;
import static dev.tributary.metadata.apply.TestImages.broker;
import static dev.tributary.metadata.apply.TestImages.partition;
import static dev.tributary.metadata.apply.TestImages.partitionOf;
import static dev.tributary.metadata.apply.TestImages.topicId;
import static dev.tributary.metadata.apply.TestImages.withLiveBrokers;
import static dev.tributary.metadata.apply.TestImages.withTopic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.metadata.command.CommandResult.PartitionUpdated;
import dev.tributary.metadata.command.MetadataCommand.AlterPartition;
import dev.tributary.metadata.command.MetadataCommand.ElectLeader;
import dev.tributary.metadata.command.MetadataCommand.ElectionType;
import dev.tributary.metadata.command.MetadataCommand.FenceBroker;
import dev.tributary.metadata.command.MetadataCommand.ReassignPartition;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** AlterPartition, leader elections and reassignments, in the manner of Kafka's partition tests. */
class PartitionCommandsTest {

    /** Brokers 1..4 live; t-0 on 1,2,3 led by 1 at leader epoch 5, partition epoch 10, ISR all three. */
    private static MetadataImage cluster() {
        return withTopic(withLiveBrokers(1, 2, 3, 4), "t", partition(List.of(1, 2, 3), List.of(1, 2, 3), 1));
    }

    private static AlterPartition alter(int leader, int leaderEpoch, int partitionEpoch, Integer... isr) {
        return new AlterPartition("t", topicId("t"), 0, leader, leaderEpoch, partitionEpoch, List.of(isr));
    }

    // ---- AlterPartition

    @Test
    void shouldShrinkTheIsrAndBumpOnlyThePartitionEpoch() {
        Applied shrunk = apply(cluster(), alter(1, 5, 10, 1, 3));
        PartitionState p = partitionOf(shrunk.image(), "t", 0);
        assertThat(p.isr()).containsExactly(1, 3);
        assertThat(p.leaderEpoch()).isEqualTo(5);
        assertThat(p.partitionEpoch()).isEqualTo(11);
        assertThat(shrunk.result()).isEqualTo(new PartitionUpdated("t", 0, p));
    }

    @Test
    void shouldLetTheLeaderShrinkTheIsrToItselfAndExpandItAgain() {
        MetadataImage alone = applyOk(cluster(), alter(1, 5, 10, 1));
        assertThat(partitionOf(alone, "t", 0).isr()).containsExactly(1);
        MetadataImage back = applyOk(alone, alter(1, 5, 11, 1, 2));
        assertThat(partitionOf(back, "t", 0).isr()).containsExactly(1, 2);
        assertThat(partitionOf(back, "t", 0).partitionEpoch()).isEqualTo(12);
    }

    @Test
    void shouldRefuseAProposalMadeOnAStalePartitionEpoch() {
        MetadataImage image = applyOk(cluster(), alter(1, 5, 10, 1, 2));
        // the leader proposes again from the state it saw before its first change committed
        String message = applyRefused(image, alter(1, 5, 10, 1), MetadataError.INVALID_UPDATE_VERSION);
        assertThat(message).contains("t-0", "partition epoch 10", "11");
    }

    @Test
    void shouldRefuseAProposalFromAnOldLeaderAfterAnElection() {
        // broker 1 is fenced: broker 2 leads at epoch 6; broker 1 still thinks it leads at epoch 5
        MetadataImage image = applyOk(cluster(), new FenceBroker(1));
        applyRefused(image, alter(1, 5, 11, 1, 2), MetadataError.FENCED_LEADER_EPOCH);
        applyRefused(image, alter(3, 6, 11, 3, 2), MetadataError.NOT_LEADER_OR_FOLLOWER);
        assertThat(partitionOf(applyOk(image, alter(2, 6, 11, 2)), "t", 0).isr())
                .containsExactly(2);
    }

    @Test
    void shouldRefuseAnIsrThatBreaksTheRules() {
        MetadataImage image = cluster();
        assertThat(applyRefused(image, alter(1, 5, 10, 2, 3), MetadataError.INVALID_REQUEST))
                .contains("does not contain the leader 1");
        applyRefused(image, alter(1, 5, 10), MetadataError.INVALID_REQUEST);
        applyRefused(image, alter(1, 5, 10, 1, 1), MetadataError.INVALID_REQUEST);
        assertThat(applyRefused(image, alter(1, 5, 10, 1, 4), MetadataError.INELIGIBLE_REPLICA))
                .contains("broker 4", "not a replica");
        MetadataImage fenced3 = withTopic(
                withLiveBrokers(1, 2).withBroker(broker(3, true, 0)),
                "t",
                partition(List.of(1, 2, 3), List.of(1, 2), 1));
        assertThat(applyRefused(fenced3, alter(1, 5, 10, 1, 2, 3), MetadataError.INELIGIBLE_REPLICA))
                .contains("broker 3 is fenced");
    }

    @Test
    void shouldRefuseAProposalForARecreatedTopicOrAMissingPartition() {
        MetadataImage image = cluster();
        applyRefused(
                image,
                new AlterPartition("t", UUID.randomUUID(), 0, 1, 5, 10, List.of(1)),
                MetadataError.UNKNOWN_TOPIC_ID);
        applyRefused(
                image,
                new AlterPartition("t", topicId("t"), 1, 1, 5, 10, List.of(1)),
                MetadataError.UNKNOWN_TOPIC_OR_PARTITION);
        applyRefused(
                image,
                new AlterPartition("u", topicId("u"), 0, 1, 5, 10, List.of(1)),
                MetadataError.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldAnswerAnUnchangedIsrWithTheSameState() {
        MetadataImage image = cluster();
        Applied same = apply(image, alter(1, 5, 10, 1, 2, 3));
        assertThat(same.image()).isSameAs(image);
        assertThat(((PartitionUpdated) same.result()).state()).isEqualTo(partitionOf(image, "t", 0));
    }

    // ---- elections

    @Test
    void shouldMoveLeadershipToThePreferredReplicaWhenItIsLiveAndInSync() {
        MetadataImage image =
                withTopic(withLiveBrokers(1, 2, 3), "t", partition(List.of(1, 2, 3), List.of(2, 3, 1), 2));
        PartitionState p = partitionOf(applyOk(image, new ElectLeader("t", 0, ElectionType.PREFERRED)), "t", 0);
        assertThat(p.leader()).isEqualTo(1);
        assertThat(p.leaderEpoch()).isEqualTo(6);
        assertThat(p.isr()).containsExactly(2, 3, 1);
    }

    @Test
    void shouldRefusePreferredElectionsThatAreNotNeededOrNotPossible() {
        applyRefused(cluster(), new ElectLeader("t", 0, ElectionType.PREFERRED), MetadataError.ELECTION_NOT_NEEDED);
        MetadataImage outOfSync = withTopic(withLiveBrokers(1, 2), "t", partition(List.of(1, 2), List.of(2), 2));
        assertThat(applyRefused(
                        outOfSync,
                        new ElectLeader("t", 0, ElectionType.PREFERRED),
                        MetadataError.PREFERRED_LEADER_NOT_AVAILABLE))
                .contains("not in the ISR");
        applyRefused(
                cluster(), new ElectLeader("t", 3, ElectionType.PREFERRED), MetadataError.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldElectFromTheIsrOnlyWhenThereIsNoLiveLeader() {
        applyRefused(cluster(), new ElectLeader("t", 0, ElectionType.CLEAN), MetadataError.ELECTION_NOT_NEEDED);
        PartitionState offline =
                new PartitionState(List.of(1, 2, 3), List.of(2), PartitionState.NO_LEADER, 6, 11, List.of(), List.of());
        MetadataImage image = withTopic(withLiveBrokers(1, 2, 3), "t", offline);
        assertThat(partitionOf(applyOk(image, new ElectLeader("t", 0, ElectionType.CLEAN)), "t", 0)
                        .leader())
                .isEqualTo(2);
    }

    @Test
    void shouldElectOutsideTheIsrOnlyOnAnExplicitUncleanElection() {
        PartitionState offline =
                new PartitionState(List.of(1, 2, 3), List.of(1), PartitionState.NO_LEADER, 6, 11, List.of(), List.of());
        MetadataImage image = withTopic(withLiveBrokers(2, 3).withBroker(broker(1, true, 0)), "t", offline);
        applyRefused(image, new ElectLeader("t", 0, ElectionType.CLEAN), MetadataError.ELIGIBLE_LEADERS_NOT_AVAILABLE);
        PartitionState p = partitionOf(applyOk(image, new ElectLeader("t", 0, ElectionType.UNCLEAN)), "t", 0);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.isr()).containsExactly(2);
        assertThat(p.leaderEpoch()).isEqualTo(7);
    }

    // ---- reassignment

    @Test
    void shouldAddTargetReplicasFirstAndRemoveTheOldOnesOnceTheyAreInSync() {
        // move t-0 from 1,2,3 to 4,2,3: broker 4 is added, then broker 1 (the leader) goes
        MetadataImage moving = applyOk(cluster(), new ReassignPartition("t", 0, List.of(4, 2, 3)));
        PartitionState p = partitionOf(moving, "t", 0);
        assertThat(p.replicas()).containsExactly(4, 2, 3, 1);
        assertThat(p.addingReplicas()).containsExactly(4);
        assertThat(p.removingReplicas()).containsExactly(1);
        assertThat(p.leader()).isEqualTo(1);
        assertThat(p.partitionEpoch()).isEqualTo(11);

        // broker 4 caught up: the leader adds it to the ISR, which completes the move
        MetadataImage done = applyOk(moving, alter(1, 5, 11, 1, 2, 3, 4));
        PartitionState after = partitionOf(done, "t", 0);
        assertThat(after.replicas()).containsExactly(4, 2, 3);
        assertThat(after.isReassigning()).isFalse();
        assertThat(after.isr()).containsExactly(2, 3, 4);
        assertThat(after.leader()).as("first target replica in the ISR").isEqualTo(4);
        assertThat(after.leaderEpoch()).isEqualTo(6);
    }

    @Test
    void shouldCompleteAtOnceWhenTheTargetIsAlreadyInSync() {
        PartitionState p = partitionOf(applyOk(cluster(), new ReassignPartition("t", 0, List.of(3, 2))), "t", 0);
        assertThat(p.replicas()).containsExactly(3, 2);
        assertThat(p.isr()).containsExactly(2, 3);
        assertThat(p.leader()).isEqualTo(3);
        assertThat(p.isReassigning()).isFalse();
    }

    @Test
    void shouldReplaceAMoveInProgressAndDropReplicasNoLongerWanted() {
        MetadataImage moving = applyOk(cluster(), new ReassignPartition("t", 0, List.of(4, 2, 3)));
        // back to the original replicas: a cancellation
        PartitionState cancelled =
                partitionOf(applyOk(moving, new ReassignPartition("t", 0, List.of(1, 2, 3))), "t", 0);
        assertThat(cancelled.replicas()).containsExactly(1, 2, 3);
        assertThat(cancelled.isReassigning()).isFalse();
        assertThat(cancelled.isr()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldRefuseBadTargets() {
        applyRefused(cluster(), new ReassignPartition("t", 0, List.of()), MetadataError.INVALID_REPLICA_ASSIGNMENT);
        applyRefused(cluster(), new ReassignPartition("t", 0, List.of(2, 2)), MetadataError.INVALID_REPLICA_ASSIGNMENT);
        assertThat(applyRefused(
                        cluster(),
                        new ReassignPartition("t", 0, List.of(1, 9)),
                        MetadataError.INVALID_REPLICA_ASSIGNMENT))
                .contains("broker 9");
        applyRefused(cluster(), new ReassignPartition("t", 5, List.of(1)), MetadataError.UNKNOWN_TOPIC_OR_PARTITION);
    }

    @Test
    void shouldLeaveAnUnchangedTargetAlone() {
        MetadataImage image = cluster();
        assertThat(apply(image, new ReassignPartition("t", 0, List.of(1, 2, 3))).image())
                .isSameAs(image);
    }
}
