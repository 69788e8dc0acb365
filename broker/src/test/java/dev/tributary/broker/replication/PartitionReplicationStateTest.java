package dev.tributary.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * HW, ISR and {@code acks=all} rules on a leader, in the manner of Kafka's PartitionTest: node 1 leads replicas
 * 1, 2, 3 with fake follower fetches and times as numbers. Leader epoch 7, partition epoch 5, log end 100,
 * high watermark 90, {@code replica.lag.time.max.ms} 10000, {@code min.insync.replicas} 2.
 */
class PartitionReplicationStateTest {
    private static final ReplicationConfig CONFIG = new ReplicationConfig(10_000, 2);
    private static final long T0 = 1_000;

    private static PartitionReplicationState leader(Set<Integer> isr) {
        return PartitionReplicationState.becomeLeader(
                1, new LeaderAndIsr(1, 7, List.of(1, 2, 3), isr, 5), 100, 90, CONFIG, T0);
    }

    private final PartitionReplicationState all = leader(Set.of(1, 2, 3));

    @Test
    void shouldKeepTheHighWatermarkUntilEveryIsrFollowerHasFetchedFromTheNewLeader() {
        all.onLeaderAppend(110);
        all.onFollowerFetch(2, 110, T0);
        assertThat(all.highWatermark()).isEqualTo(90);
    }

    @Test
    void shouldSetTheHighWatermarkToTheSmallestLogEndOffsetInTheIsr() {
        all.onLeaderAppend(120);
        all.onFollowerFetch(2, 105, T0);
        assertThat(all.onFollowerFetch(3, 100, T0)).isTrue();
        assertThat(all.highWatermark()).isEqualTo(100);
        all.onFollowerFetch(3, 115, T0 + 1);
        assertThat(all.highWatermark()).isEqualTo(105);
        all.onFollowerFetch(2, 120, T0 + 2);
        all.onFollowerFetch(3, 120, T0 + 2);
        assertThat(all.highWatermark()).isEqualTo(120);
    }

    @Test
    void shouldNeverMoveTheHighWatermarkBackwards() {
        all.onFollowerFetch(2, 100, T0);
        all.onFollowerFetch(3, 100, T0);
        assertThat(all.highWatermark()).isEqualTo(100);
        // follower 3 restarted and truncated: it fetches from below the high watermark
        assertThat(all.onFollowerFetch(3, 95, T0 + 1)).isFalse();
        assertThat(all.highWatermark()).isEqualTo(100);
    }

    @Test
    void shouldNotLetAFollowerOutsideTheIsrHoldTheHighWatermark() {
        PartitionReplicationState p = leader(Set.of(1, 2));
        p.onFollowerFetch(2, 100, T0);
        assertThat(p.highWatermark()).isEqualTo(100);
    }

    @Test
    void shouldCommitOnAppendWhenTheLeaderIsAloneInTheIsr() {
        PartitionReplicationState p = leader(Set.of(1));
        assertThat(p.onLeaderAppend(130)).isTrue();
        assertThat(p.highWatermark()).isEqualTo(130);
    }

    @Test
    void shouldHoldTheHighWatermarkForAFollowerWhoseIsrAdditionIsInFlight() {
        PartitionReplicationState p = leader(Set.of(1, 2));
        p.onFollowerFetch(2, 100, T0);
        p.onFollowerFetch(3, 100, T0);
        Optional<IsrProposal> expand = p.maybeExpandIsr(3);
        assertThat(expand).contains(new IsrProposal(1, 7, 5, Set.of(1, 2, 3)));
        assertThat(p.isr()).containsExactlyInAnyOrder(1, 2);
        assertThat(p.maximalIsr()).containsExactlyInAnyOrder(1, 2, 3);

        p.onLeaderAppend(120);
        p.onFollowerFetch(2, 120, T0 + 1);
        // with the committed ISR alone the watermark would be 120; follower 3 has only 100, and once the quorum
        // commits the addition it must hold everything below the watermark
        assertThat(p.highWatermark()).isEqualTo(100);

        assertThat(p.applyCommittedIsr(Set.of(1, 2, 3), 6)).isTrue();
        p.onFollowerFetch(3, 120, T0 + 2);
        assertThat(p.highWatermark()).isEqualTo(120);
    }

    @Test
    void shouldHoldTheHighWatermarkForAFollowerWhoseIsrRemovalIsInFlight() {
        all.onLeaderAppend(120);
        all.onFollowerFetch(2, 100, T0);
        all.onFollowerFetch(3, 100, T0);
        all.onFollowerFetch(2, 120, T0 + 20_000);
        Optional<IsrProposal> shrink = all.maybeShrinkIsr(T0 + 20_000);
        assertThat(shrink).contains(new IsrProposal(1, 7, 5, Set.of(1, 2)));
        // not committed yet: follower 3 may still be elected, so it still holds the watermark
        assertThat(all.highWatermark()).isEqualTo(100);
        assertThat(all.isr()).containsExactlyInAnyOrder(1, 2, 3);

        assertThat(all.applyCommittedIsr(Set.of(1, 2), 6)).isTrue();
        assertThat(all.highWatermark()).isEqualTo(120);
        assertThat(all.partitionEpoch()).isEqualTo(6);
        assertThat(all.pendingIsr()).isEmpty();
    }

    @Test
    void shouldIgnoreACommittedIsrWhosePartitionEpochIsNotNewer() {
        all.maybeShrinkIsr(T0 + 20_000);
        assertThat(all.applyCommittedIsr(Set.of(1, 2), 5)).isFalse();
        assertThat(all.applyCommittedIsr(Set.of(1), 4)).isFalse();
        assertThat(all.isr()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(all.partitionEpoch()).isEqualTo(5);
        assertThat(all.pendingIsr()).isPresent();
    }

    @Test
    void shouldForgetARejectedProposalAndKeepTheCommittedIsr() {
        assertThat(all.maybeShrinkIsr(T0 + 20_000)).isPresent();
        all.onIsrProposalRejected();
        assertThat(all.pendingIsr()).isEmpty();
        assertThat(all.isr()).containsExactlyInAnyOrder(1, 2, 3);
        assertThat(all.maybeShrinkIsr(T0 + 20_001)).isPresent();
    }

    @Test
    void shouldProposeOneIsrChangeAtATime() {
        PartitionReplicationState p = leader(Set.of(1, 2));
        assertThat(p.maybeShrinkIsr(T0 + 20_000)).isPresent();
        p.onFollowerFetch(3, 100, T0 + 20_000);
        assertThat(p.isExpandCandidate(3)).isTrue();
        assertThat(p.maybeExpandIsr(3)).isEmpty();
        assertThat(p.maybeShrinkIsr(T0 + 30_000)).isEmpty();
    }

    @Test
    void shouldShrinkOnlyFollowersNotCaughtUpWithinTheLagTime() {
        all.onLeaderAppend(120);
        all.onFollowerFetch(2, 120, T0 + 5_000);
        all.onFollowerFetch(3, 110, T0 + 5_000);
        assertThat(all.shrinkCandidates(T0 + 10_000)).isEmpty();
        // 3 last had the whole log at T0 (the takeover); 2 at T0 + 5000
        assertThat(all.shrinkCandidates(T0 + 10_001)).containsExactly(3);
        assertThat(all.shrinkCandidates(T0 + 15_001)).containsExactly(3);
        // a follower that has the whole log is in sync however long ago it fetched
        assertThat(all.shrinkCandidates(T0 + 1_000_000)).containsExactly(3);
    }

    @Test
    void shouldAddAFollowerOnlyAtOrAboveTheHighWatermarkAndTheLeaderEpochStart() {
        PartitionReplicationState p = leader(Set.of(1, 2));
        assertThat(p.leaderEpochStartOffset()).isEqualTo(100);
        p.onFollowerFetch(3, 89, T0);
        assertThat(p.isExpandCandidate(3)).isFalse();
        // at the high watermark (90) but below the start of this leader's epoch (100)
        p.onFollowerFetch(3, 95, T0);
        assertThat(p.highWatermark()).isEqualTo(90);
        assertThat(p.isExpandCandidate(3)).isFalse();
        assertThat(p.maybeExpandIsr(3)).isEmpty();
        p.onFollowerFetch(3, 100, T0);
        assertThat(p.maybeExpandIsr(3)).contains(new IsrProposal(1, 7, 5, Set.of(1, 2, 3)));
        assertThat(p.isExpandCandidate(2)).isFalse();
        assertThat(p.isExpandCandidate(1)).isFalse();
    }

    @Test
    void shouldRefuseAcksAllBeforeTheAppendWhenTheCommittedIsrIsBelowTheMinimum() {
        PartitionReplicationState p = leader(Set.of(1));
        assertThat(p.checkAppend(-1)).isEqualTo(AckStatus.NOT_ENOUGH_REPLICAS);
        assertThat(p.checkAppend(1)).isEqualTo(AckStatus.ACCEPTED);
        assertThat(p.checkAppend(0)).isEqualTo(AckStatus.ACCEPTED);
        assertThat(all.checkAppend(-1)).isEqualTo(AckStatus.ACCEPTED);
    }

    @Test
    void shouldNotCountAnIsrShrinkBeforeTheQuorumCommitsIt() {
        PartitionReplicationState p = leader(Set.of(1, 2));
        assertThat(p.maybeShrinkIsr(T0 + 20_000)).contains(new IsrProposal(1, 7, 5, Set.of(1)));
        assertThat(p.checkAppend(-1)).isEqualTo(AckStatus.ACCEPTED);
        p.applyCommittedIsr(Set.of(1), 6);
        assertThat(p.checkAppend(-1)).isEqualTo(AckStatus.NOT_ENOUGH_REPLICAS);
    }

    @Test
    void shouldCompleteAcksAllOnceTheHighWatermarkCoversTheBatch() {
        all.onLeaderAppend(105); // a batch at 100..104
        assertThat(all.acksAllStatus(105)).isEqualTo(AckStatus.PENDING);
        all.onFollowerFetch(2, 105, T0);
        all.onFollowerFetch(3, 104, T0);
        assertThat(all.acksAllStatus(105)).isEqualTo(AckStatus.PENDING);
        all.onFollowerFetch(3, 105, T0);
        assertThat(all.acksAllStatus(105)).isEqualTo(AckStatus.COMPLETE);
    }

    @Test
    void shouldAnswerNotEnoughReplicasAfterAppendWhenTheIsrShrankBelowTheMinimumMeanwhile() {
        PartitionReplicationState p = leader(Set.of(1, 2));
        assertThat(p.checkAppend(-1)).isEqualTo(AckStatus.ACCEPTED);
        p.onLeaderAppend(105);
        p.maybeShrinkIsr(T0 + 20_000);
        p.applyCommittedIsr(Set.of(1), 6);
        assertThat(p.highWatermark()).isEqualTo(105);
        assertThat(p.acksAllStatus(105)).isEqualTo(AckStatus.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
    }

    @Test
    void shouldNeverAcknowledgeAloneWhenCutOffFromFollowersAndQuorum() {
        // the network-partition case: followers stop fetching, the shrink proposals never get committed
        all.onFollowerFetch(2, 100, T0);
        all.onFollowerFetch(3, 100, T0);
        all.onLeaderAppend(150);
        for (long t = T0; t < T0 + 120_000; t += 7_000) {
            all.maybeShrinkIsr(t)
                    .ifPresent(proposal -> assertThat(proposal.newIsr()).contains(1));
            all.onIsrProposalRejected(); // or no answer at all; either way nothing is committed
        }
        assertThat(all.highWatermark()).isEqualTo(100);
        assertThat(all.acksAllStatus(150)).isEqualTo(AckStatus.PENDING);
    }

    @Test
    void shouldRejectACommittedIsrWithoutTheLeaderOrOutsideTheReplicas() {
        assertThatThrownBy(() -> all.applyCommittedIsr(Set.of(2, 3), 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leader 1");
        assertThatThrownBy(() -> all.applyCommittedIsr(Set.of(1, 4), 6))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, 2, 3]");
    }

    @Test
    void shouldRejectMisuseWithTheBadValueInTheMessage() {
        assertThatThrownBy(() -> all.onFollowerFetch(4, 100, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("replica 4");
        assertThatThrownBy(() -> all.onFollowerFetch(2, 101, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("101");
        assertThatThrownBy(() -> all.onLeaderAppend(99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("99");
        assertThatThrownBy(() -> PartitionReplicationState.becomeLeader(
                        2, new LeaderAndIsr(1, 7, List.of(1, 2, 3), Set.of(1, 2, 3), 5), 100, 90, CONFIG, T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PartitionReplicationState.becomeLeader(
                        1, new LeaderAndIsr(1, 7, List.of(1, 2, 3), Set.of(2, 3), 5), 100, 90, CONFIG, T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not in its ISR");
    }

    @Test
    void shouldStartTheHighWatermarkNoHigherThanTheLogEnd() {
        PartitionReplicationState p = PartitionReplicationState.becomeLeader(
                1, new LeaderAndIsr(1, 7, List.of(1, 2, 3), Set.of(1, 2, 3), 5), 80, 90, CONFIG, T0);
        assertThat(p.highWatermark()).isEqualTo(80);
    }

    @Test
    void shouldReportUnderReplicationAndUnderMinIsr() {
        assertThat(all.isUnderReplicated()).isFalse();
        PartitionReplicationState p = leader(Set.of(1));
        assertThat(p.isUnderReplicated()).isTrue();
        assertThat(p.isUnderMinIsr()).isTrue();
    }

    @Test
    void shouldApplyARaisedMinimumToTheNextAcksAllWrite() {
        PartitionReplicationState p = leader(Set.of(1, 2));
        assertThat(p.checkAppend(-1)).isEqualTo(AckStatus.ACCEPTED);

        assertThat(p.updateConfig(new ReplicationConfig(10_000, 3))).isTrue();
        assertThat(p.checkAppend(-1)).isEqualTo(AckStatus.NOT_ENOUGH_REPLICAS);
        assertThat(p.checkAppend(1)).isEqualTo(AckStatus.ACCEPTED);

        assertThat(p.updateConfig(new ReplicationConfig(10_000, 3))).isFalse();
        assertThat(p.updateConfig(CONFIG)).isTrue();
        assertThat(p.checkAppend(-1)).isEqualTo(AckStatus.ACCEPTED);
    }

    @Test
    void shouldNotProposeAgainForASecondAfterTheQuorumRefused() {
        PartitionReplicationState p = leader(Set.of(1, 2));
        p.onFollowerFetch(3, 100, T0);
        assertThat(p.maybeExpandIsr(3, T0)).isPresent();
        p.onIsrProposalRejected(T0);

        p.onFollowerFetch(3, 100, T0 + 10);
        assertThat(p.maybeExpandIsr(3, T0 + 10)).isEmpty();
        assertThat(p.maybeExpandIsr(3, T0 + PartitionReplicationState.REJECTED_BACKOFF_MS))
                .isPresent();
    }
}
