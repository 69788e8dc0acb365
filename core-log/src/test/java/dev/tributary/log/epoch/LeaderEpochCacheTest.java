package dev.tributary.log.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The leader-epoch cache's rules, without files. */
class LeaderEpochCacheTest {
    private final ListCheckpoint checkpoint = new ListCheckpoint();
    private final LeaderEpochCache cache = new LeaderEpochCache(checkpoint);

    private static EpochEntry e(int epoch, long start) {
        return new EpochEntry(epoch, start);
    }

    /** Epochs 0 from 0, 2 from 10, 5 from 20. */
    private void threeEpochs() {
        cache.assign(0, 0);
        cache.assign(2, 10);
        cache.assign(5, 20);
    }

    @Test
    void shouldAddAnEntryForTheFirstRecordOfANewEpochAndWriteTheCheckpoint() {
        assertThat(cache.assign(3, 7)).isTrue();
        assertThat(cache.entries()).containsExactly(e(3, 7));
        assertThat(checkpoint.stored()).containsExactly(e(3, 7));
        assertThat(checkpoint.writes).hasSize(1);
    }

    @Test
    void shouldIgnoreTheLatestEpochAgainAtTheSameOrALaterOffsetWithoutWriting() {
        cache.assign(3, 7);
        assertThat(cache.assign(3, 7)).isFalse();
        assertThat(cache.assign(3, 9)).isFalse();
        assertThat(cache.entries()).containsExactly(e(3, 7));
        assertThat(checkpoint.writes).hasSize(1);
    }

    @Test
    void shouldMoveTheLatestEpochEarlierWhenItIsAssignedAnEarlierStart() {
        cache.assign(1, 0);
        cache.assign(3, 7);
        assertThat(cache.assign(3, 5)).isTrue();
        assertThat(cache.entries()).containsExactly(e(1, 0), e(3, 5));
    }

    @Test
    void shouldRemoveEntriesWhoseStartIsAtOrAfterTheNewEntrysStart() {
        threeEpochs();
        assertThat(cache.assign(6, 10)).isTrue();
        assertThat(cache.entries()).containsExactly(e(0, 0), e(6, 10));
        assertThat(checkpoint.stored()).containsExactly(e(0, 0), e(6, 10));
    }

    @Test
    void shouldRemoveEntriesWithAnEpochAtOrAboveAnOlderEpochAssignedLater() {
        threeEpochs();
        // a log rewritten by epoch 3 from offset 25: epoch 5's entry describes a tail that no longer exists
        assertThat(cache.assign(3, 25)).isTrue();
        assertThat(cache.entries()).containsExactly(e(0, 0), e(2, 10), e(3, 25));
    }

    @Test
    void shouldRejectANegativeEpochOrOffset() {
        assertThatThrownBy(() -> cache.assign(-1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> cache.assign(0, -5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-5");
        assertThat(cache.isEmpty()).isTrue();
    }

    @Test
    void shouldReportLatestAndEarliestEntries() {
        assertThat(cache.latestEpoch()).isEmpty();
        assertThat(cache.latestEntry()).isEmpty();
        threeEpochs();
        assertThat(cache.latestEpoch()).isEqualTo(OptionalInt.of(5));
        assertThat(cache.latestEntry()).contains(e(5, 20));
        assertThat(cache.earliestEntry()).contains(e(0, 0));
        assertThat(cache.startOffsetOf(2)).contains(10L);
        assertThat(cache.startOffsetOf(3)).isEqualTo(Optional.empty());
    }

    @Test
    void shouldFindTheEpochThatWroteAnOffset() {
        cache.assign(2, 10);
        cache.assign(5, 20);
        assertThat(cache.epochForOffset(9)).isEmpty();
        assertThat(cache.epochForOffset(10)).isEqualTo(OptionalInt.of(2));
        assertThat(cache.epochForOffset(19)).isEqualTo(OptionalInt.of(2));
        assertThat(cache.epochForOffset(20)).isEqualTo(OptionalInt.of(5));
        assertThat(cache.epochForOffset(1_000)).isEqualTo(OptionalInt.of(5));
    }

    @Test
    void shouldAnswerTheLatestEpochWithTheLogEndOffset() {
        threeEpochs();
        assertThat(cache.endOffsetFor(5, 42)).isEqualTo(new EpochEndOffset(5, 42));
    }

    @Test
    void shouldAnswerAnOlderEpochWithTheStartOfTheNextKnownEpoch() {
        threeEpochs();
        assertThat(cache.endOffsetFor(0, 42)).isEqualTo(new EpochEndOffset(0, 10));
        assertThat(cache.endOffsetFor(2, 42)).isEqualTo(new EpochEndOffset(2, 20));
    }

    @Test
    void shouldAnswerAnUnknownEpochBetweenKnownOnesWithTheLargestSmallerEpoch() {
        threeEpochs();
        // epochs 3 and 4 wrote nothing here: the leader's answer is epoch 2, which ended at 20
        assertThat(cache.endOffsetFor(3, 42)).isEqualTo(new EpochEndOffset(2, 20));
        assertThat(cache.endOffsetFor(4, 42)).isEqualTo(new EpochEndOffset(2, 20));
        assertThat(cache.endOffsetFor(1, 42)).isEqualTo(new EpochEndOffset(0, 10));
    }

    @Test
    void shouldAnswerAnEpochBelowTheEarliestWithTheRequestedEpochAndTheEarliestStart() {
        cache.assign(2, 10);
        cache.assign(5, 20);
        assertThat(cache.endOffsetFor(1, 42)).isEqualTo(new EpochEndOffset(1, 10));
    }

    @Test
    void shouldAnswerUndefinedForAnEpochAboveTheLatest() {
        threeEpochs();
        assertThat(cache.endOffsetFor(6, 42)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void shouldAnswerUndefinedForTheUndefinedEpochAndForAnEmptyCache() {
        assertThat(cache.endOffsetFor(0, 42)).isEqualTo(EpochEndOffset.UNDEFINED);
        threeEpochs();
        assertThat(cache.endOffsetFor(EpochEndOffset.UNDEFINED_EPOCH, 42)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(EpochEndOffset.UNDEFINED.isUndefined()).isTrue();
        assertThat(EpochEndOffset.UNDEFINED).isEqualTo(new EpochEndOffset(-1, -1));
    }

    @Test
    void shouldDropEntriesStartingAtOrAfterTheNewEndWhenTruncatingFromTheEnd() {
        threeEpochs();
        cache.truncateFromEnd(20);
        assertThat(cache.entries()).containsExactly(e(0, 0), e(2, 10));
        cache.truncateFromEnd(11);
        assertThat(cache.entries()).containsExactly(e(0, 0), e(2, 10));
        cache.truncateFromEnd(10);
        assertThat(cache.entries()).containsExactly(e(0, 0));
        assertThat(checkpoint.stored()).containsExactly(e(0, 0));
    }

    @Test
    void shouldNotWriteWhenTruncatingFromTheEndPastTheLatestStartOrToANegativeOffset() {
        threeEpochs();
        int writes = checkpoint.writes.size();
        cache.truncateFromEnd(21);
        cache.truncateFromEnd(-1);
        assertThat(cache.entries()).containsExactly(e(0, 0), e(2, 10), e(5, 20));
        assertThat(checkpoint.writes).hasSize(writes);
    }

    @Test
    void shouldEmptyTheCacheWhenTruncatingFromTheEndToZero() {
        threeEpochs();
        cache.truncateFromEnd(0);
        assertThat(cache.isEmpty()).isTrue();
        assertThat(checkpoint.stored()).isEmpty();
    }

    @Test
    void shouldKeepTheEpochCoveringTheNewStartMovedToItWhenTruncatingFromTheStart() {
        threeEpochs();
        cache.truncateFromStart(15);
        assertThat(cache.entries()).containsExactly(e(2, 15), e(5, 20));
        assertThat(checkpoint.stored()).containsExactly(e(2, 15), e(5, 20));
    }

    @Test
    void shouldKeepAnEntryStartingExactlyAtTheNewStart() {
        threeEpochs();
        cache.truncateFromStart(20);
        assertThat(cache.entries()).containsExactly(e(5, 20));
        cache.truncateFromStart(30);
        assertThat(cache.entries()).containsExactly(e(5, 30));
    }

    @Test
    void shouldChangeNothingWhenTruncatingFromTheStartBeforeTheFirstEntry() {
        cache.assign(2, 10);
        int writes = checkpoint.writes.size();
        cache.truncateFromStart(5);
        cache.truncateFromStart(10);
        assertThat(cache.entries()).containsExactly(e(2, 10));
        assertThat(checkpoint.writes).hasSize(writes);
    }

    @Test
    void shouldLoadTheCheckpointApplyingTheAssignRules() {
        // a file with a non-monotonic tail (written by hand, or by a buggy writer) loads as the assign rules say
        ListCheckpoint stored = new ListCheckpoint(e(0, 0), e(2, 10), e(4, 30), e(3, 20));
        LeaderEpochCache loaded = new LeaderEpochCache(stored);
        assertThat(loaded.entries()).containsExactly(e(0, 0), e(2, 10), e(3, 20));
        assertThat(stored.writes).isEmpty();
    }

    @Test
    void shouldForgetEverythingOnClear() {
        threeEpochs();
        cache.clear();
        assertThat(cache.isEmpty()).isTrue();
        assertThat(checkpoint.stored()).isEqualTo(List.of());
    }
}
