package dev.tributary.metadata.apply;

import static dev.tributary.metadata.apply.TestImages.apply;
import static dev.tributary.metadata.apply.TestImages.applyOk;
import static dev.tributary.metadata.apply.TestImages.applyRefused;
import static dev.tributary.metadata.apply.TestImages.broker;
import static dev.tributary.metadata.apply.TestImages.incarnation;
import static dev.tributary.metadata.apply.TestImages.partition;
import static dev.tributary.metadata.apply.TestImages.partitionOf;
import static dev.tributary.metadata.apply.TestImages.withLiveBrokers;
import static dev.tributary.metadata.apply.TestImages.withTopic;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.metadata.command.CommandResult.BrokersFenced;
import dev.tributary.metadata.command.CommandResult.Done;
import dev.tributary.metadata.command.CommandResult.HeartbeatAccepted;
import dev.tributary.metadata.command.MetadataCommand.BrokerHeartbeat;
import dev.tributary.metadata.command.MetadataCommand.ExpireBrokerSessions;
import dev.tributary.metadata.command.MetadataCommand.FenceBroker;
import dev.tributary.metadata.command.MetadataCommand.RegisterBroker;
import dev.tributary.metadata.command.MetadataCommand.UnfenceBroker;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Registration, heartbeats and fencing, and what fencing does to leaders and ISRs. */
class BrokerLifecycleTest {

    private static final List<Endpoint> ENDPOINTS = List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092));

    @Test
    void shouldRegisterANewBrokerFencedWithTheStampedTime() {
        MetadataImage image = applyOk(MetadataImage.EMPTY, new RegisterBroker(4, incarnation(4), ENDPOINTS, 1234));
        assertThat(image.broker(4).fenced()).isTrue();
        assertThat(image.broker(4).lastHeartbeatMs()).isEqualTo(1234);
        assertThat(image.broker(4).endpoints()).isEqualTo(ENDPOINTS);
        assertThat(image.isLive(4)).isFalse();
    }

    @Test
    void shouldTreatTheSameIncarnationRegisteringAgainAsANoOp() {
        MetadataImage image = withLiveBrokers(1);
        Applied again = apply(image, new RegisterBroker(1, incarnation(1), ENDPOINTS, 99));
        assertThat(again.image()).isSameAs(image);
        assertThat(again.result()).isEqualTo(new Done());
    }

    @Test
    void shouldTakeLeadershipFromTheOldIncarnationWhenABrokerRestarts() {
        MetadataImage image =
                withTopic(withLiveBrokers(1, 2, 3), "t", partition(List.of(1, 2, 3), List.of(1, 2, 3), 1));
        UUID restarted = UUID.randomUUID();
        MetadataImage next = applyOk(image, new RegisterBroker(1, restarted, ENDPOINTS, 50));
        assertThat(next.broker(1).incarnationId()).isEqualTo(restarted);
        assertThat(next.broker(1).fenced()).isTrue();
        PartitionState p = partitionOf(next, "t", 0);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.isr()).containsExactly(2, 3);
        assertThat(p.leaderEpoch()).isEqualTo(6);
    }

    @Test
    void shouldRecordHeartbeatsAndNeverMoveTheirTimeBackwards() {
        MetadataImage image = withLiveBrokers(1);
        Applied beat = apply(image, new BrokerHeartbeat(1, incarnation(1), 500));
        assertThat(beat.result()).isEqualTo(new HeartbeatAccepted(false));
        assertThat(beat.image().broker(1).lastHeartbeatMs()).isEqualTo(500);
        // a new quorum leader whose clock is behind must not make the broker look older
        MetadataImage late = applyOk(beat.image(), new BrokerHeartbeat(1, incarnation(1), 400));
        assertThat(late.broker(1).lastHeartbeatMs()).isEqualTo(500);
    }

    @Test
    void shouldTellAFencedBrokerItIsFencedInTheHeartbeatAnswer() {
        MetadataImage image = MetadataImage.EMPTY.withBroker(broker(1, true, 0));
        assertThat(apply(image, new BrokerHeartbeat(1, incarnation(1), 5)).result())
                .isEqualTo(new HeartbeatAccepted(true));
    }

    @Test
    void shouldRefuseHeartbeatsFromUnknownBrokersAndStaleIncarnations() {
        MetadataImage image = withLiveBrokers(1);
        applyRefused(image, new BrokerHeartbeat(2, incarnation(2), 5), MetadataError.UNKNOWN_BROKER);
        String message = applyRefused(
                image, new BrokerHeartbeat(1, UUID.randomUUID(), 5), MetadataError.STALE_BROKER_INCARNATION);
        assertThat(message).contains("broker 1", incarnation(1).toString());
        applyRefused(image, new UnfenceBroker(1, UUID.randomUUID(), 5), MetadataError.STALE_BROKER_INCARNATION);
        applyRefused(image, new FenceBroker(9), MetadataError.UNKNOWN_BROKER);
    }

    @Test
    void shouldMoveLeadershipToTheNextIsrMemberAndShrinkTheIsrWhenTheLeaderIsFenced() {
        MetadataImage image = withTopic(
                withLiveBrokers(1, 2, 3),
                "t",
                partition(List.of(1, 2, 3), List.of(1, 3, 2), 1),
                partition(List.of(2, 1, 3), List.of(2, 1), 2));
        Applied fenced = apply(image, new FenceBroker(1));
        assertThat(fenced.result()).isEqualTo(new BrokersFenced(List.of(1)));
        PartitionState led = partitionOf(fenced.image(), "t", 0);
        // next leader in assignment order (2), not ISR order (3)
        assertThat(led.leader()).isEqualTo(2);
        assertThat(led.isr()).containsExactly(3, 2);
        assertThat(led.leaderEpoch()).isEqualTo(6);
        assertThat(led.partitionEpoch()).isEqualTo(11);
        PartitionState followed = partitionOf(fenced.image(), "t", 1);
        assertThat(followed.leader()).isEqualTo(2);
        assertThat(followed.isr()).containsExactly(2);
        assertThat(followed.leaderEpoch()).as("the leader did not change").isEqualTo(5);
        assertThat(followed.partitionEpoch()).isEqualTo(11);
    }

    @Test
    void shouldKeepTheLastIsrMemberAndLeaveThePartitionLeaderlessWhenItIsFenced() {
        MetadataImage image = withTopic(withLiveBrokers(1, 2), "t", partition(List.of(1, 2), List.of(1), 1));
        PartitionState p = partitionOf(applyOk(image, new FenceBroker(1)), "t", 0);
        assertThat(p.leader()).isEqualTo(PartitionState.NO_LEADER);
        assertThat(p.isr()).containsExactly(1);
        assertThat(p.leaderEpoch()).isEqualTo(6);
    }

    @Test
    void shouldElectALiveReplicaOutsideTheIsrOnFencingOnlyWhenTheTopicAllowsUncleanElection() {
        MetadataImage image = withTopic(
                withLiveBrokers(1, 2),
                "t",
                Map.of(TopicImage.UNCLEAN_LEADER_ELECTION_ENABLE, "true"),
                partition(List.of(1, 2), List.of(1), 1));
        PartitionState p = partitionOf(applyOk(image, new FenceBroker(1)), "t", 0);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.isr()).containsExactly(2);
    }

    @Test
    void shouldNotTouchPartitionsWhereTheFencedBrokerIsNeitherLeaderNorInTheIsr() {
        PartitionState untouched = partition(List.of(1, 2, 3), List.of(2, 3), 2);
        MetadataImage image = withTopic(withLiveBrokers(1, 2, 3), "t", untouched);
        assertThat(partitionOf(applyOk(image, new FenceBroker(1)), "t", 0)).isSameAs(untouched);
    }

    @Test
    void shouldAnswerFencingAnAlreadyFencedBrokerWithNothingFenced() {
        MetadataImage image = MetadataImage.EMPTY.withBroker(broker(1, true, 0));
        Applied again = apply(image, new FenceBroker(1));
        assertThat(again.result()).isEqualTo(new BrokersFenced(List.of()));
        assertThat(again.image()).isSameAs(image);
    }

    @Test
    void shouldGiveLeaderlessPartitionsBackToAnUnfencedIsrMember() {
        MetadataImage image = withTopic(
                withLiveBrokers(2).withBroker(broker(1, true, 0)),
                "t",
                new PartitionState(List.of(1, 2), List.of(1), PartitionState.NO_LEADER, 6, 11, List.of(), List.of()),
                partition(List.of(2, 1), List.of(2), 2));
        MetadataImage next = applyOk(image, new UnfenceBroker(1, incarnation(1), 700));
        assertThat(next.isLive(1)).isTrue();
        assertThat(next.broker(1).lastHeartbeatMs()).isEqualTo(700);
        PartitionState back = partitionOf(next, "t", 0);
        assertThat(back.leader()).isEqualTo(1);
        assertThat(back.leaderEpoch()).isEqualTo(7);
        assertThat(back.isr()).containsExactly(1);
        // the led partition is left to its leader, which adds broker 1 back to the ISR once it caught up
        assertThat(partitionOf(next, "t", 1).isr()).containsExactly(2);
    }

    @Test
    void shouldNotGiveALeaderlessPartitionToAnUnfencedReplicaOutsideItsIsr() {
        PartitionState offline =
                new PartitionState(List.of(1, 2), List.of(1), PartitionState.NO_LEADER, 6, 11, List.of(), List.of());
        MetadataImage image = withTopic(
                MetadataImage.EMPTY.withBroker(broker(1, true, 0)).withBroker(broker(2, true, 0)), "t", offline);
        assertThat(partitionOf(applyOk(image, new UnfenceBroker(2, incarnation(2), 1)), "t", 0))
                .isSameAs(offline);
    }

    @Test
    void shouldExpireOnlySessionsOlderThanTheTimeout() {
        MetadataImage image = MetadataImage.EMPTY
                .withBroker(broker(1, false, 1_000))
                .withBroker(broker(2, false, 9_000))
                .withBroker(broker(3, false, 3_000))
                .withBroker(broker(4, true, 0));
        image = withTopic(image, "t", partition(List.of(1, 2, 3), List.of(1, 2, 3), 1));
        Applied expired = apply(image, new ExpireBrokerSessions(6_000, 9_000));
        // broker 3 heartbeated exactly 6000 ms ago: not yet expired; broker 4 was already fenced
        assertThat(expired.result()).isEqualTo(new BrokersFenced(List.of(1)));
        assertThat(expired.image().isLive(1)).isFalse();
        assertThat(expired.image().isLive(3)).isTrue();
        PartitionState p = partitionOf(expired.image(), "t", 0);
        assertThat(p.leader()).isEqualTo(2);
        assertThat(p.isr()).containsExactly(2, 3);
    }

    @Test
    void shouldLeaveThePartitionLeaderlessWhenEveryIsrMemberExpiresAtOnce() {
        MetadataImage image = MetadataImage.EMPTY
                .withBroker(broker(1, false, 0))
                .withBroker(broker(2, false, 0))
                .withBroker(broker(3, false, 10_000));
        image = withTopic(image, "t", partition(List.of(1, 2, 3), List.of(1, 2), 1));
        Applied expired = apply(image, new ExpireBrokerSessions(5_000, 10_000));
        assertThat(expired.result()).isEqualTo(new BrokersFenced(List.of(1, 2)));
        PartitionState p = partitionOf(expired.image(), "t", 0);
        assertThat(p.leader()).isEqualTo(PartitionState.NO_LEADER);
        assertThat(p.isr()).containsExactly(2);
    }
}
