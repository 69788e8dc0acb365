package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spark.TributaryErrors;
import dev.tributary.spark.TributaryException;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class DataLossPolicyTest {
    static final TopicPartition P0 = new TopicPartition("t", 0);

    final DataLossPolicy fail = new DataLossPolicy(true);
    final DataLossPolicy skip = new DataLossPolicy(false);

    @Test
    void shouldLeaveAStartAtOrAboveTheLogStartAlone() {
        assertThat(fail.startBelowLogStart(P0, 40, 40, 100)).isEqualTo(40);
        assertThat(fail.newPartitionStart(P0, 0, 100)).isZero();
        assertThat(fail.offsetsWentBackwards(P0, 50, 50)).isEqualTo(50);
        assertThat(fail.lostOffsets()).isZero();
    }

    @Test
    void shouldFailEveryCaseWithTheDataLossErrorId() {
        List<ThrowingCallable> cases = List.of(
                () -> fail.startBelowLogStart(P0, 10, 40, 100),
                () -> fail.newPartitionStart(P0, 7, 20),
                () -> fail.partitionGone(P0),
                () -> fail.offsetsWentBackwards(P0, 50, 8),
                () -> fail.resumeAfterOutOfRange(P0, 95, 0, 60, 100));
        for (ThrowingCallable c : cases) {
            assertThatThrownBy(c)
                    .isInstanceOfSatisfying(
                            TributaryException.class,
                            e -> assertThat(e.errorId()).isEqualTo(TributaryErrors.DATA_LOSS));
        }
    }

    @Test
    void shouldFailOnAStartBelowTheLogStartNamingTheLostInterval() {
        assertThatThrownBy(() -> fail.startBelowLogStart(P0, 10, 40, 100))
                .hasMessageContaining("TRIBUTARY_DATA_LOSS")
                .hasMessageContaining("t-0: offsets [10, 40)")
                .hasMessageContaining("the log now starts at 40");
    }

    @Test
    void shouldSkipToTheLogStartAndCountEachLostIntervalOnce() {
        assertThat(skip.startBelowLogStart(P0, 10, 40, 100)).isEqualTo(40);
        assertThat(skip.startBelowLogStart(P0, 10, 40, 100))
                .as("the same batch planned again")
                .isEqualTo(40);
        assertThat(skip.lostOffsets()).isEqualTo(30);
        assertThat(skip.startBelowLogStart(P0, 40, 55, 100)).isEqualTo(55);
        assertThat(skip.lostOffsets()).isEqualTo(45);
    }

    @Test
    void shouldNotReportLossPastTheEndOfTheRange() {
        assertThat(skip.startBelowLogStart(P0, 10, 400, 100)).isEqualTo(100);
        assertThat(skip.lostOffsets()).isEqualTo(90);
        assertThatThrownBy(() -> fail.startBelowLogStart(P0, 10, 400, 100)).hasMessageContaining("[10, 100)");
    }

    @Test
    void shouldTreatANewPartitionWhoseLogDoesNotStartAtZeroAsLoss() {
        assertThatThrownBy(() -> fail.newPartitionStart(P0, 7, 20))
                .hasMessageContaining("TRIBUTARY_DATA_LOSS")
                .hasMessageContaining("[0, 7)")
                .hasMessageContaining("new to the query");
        assertThat(skip.newPartitionStart(P0, 7, 20)).isEqualTo(7);
        assertThat(skip.lostOffsets()).isEqualTo(7);
    }

    @Test
    void shouldFailOrDropAPartitionThatIsGone() {
        assertThatThrownBy(() -> fail.partitionGone(P0))
                .hasMessageContaining("TRIBUTARY_DATA_LOSS")
                .hasMessageContaining("t-0 no longer exists");
        skip.partitionGone(P0);
        assertThat(skip.lostOffsets())
                .as("what a deleted partition held is not known")
                .isZero();
    }

    @Test
    void shouldFailOrContinueAtTheNewEndWhenOffsetsWentBackwards() {
        assertThatThrownBy(() -> fail.offsetsWentBackwards(P0, 50, 8))
                .hasMessageContaining("TRIBUTARY_DATA_LOSS")
                .hasMessageContaining("ends at offset 8, before the query's position 50");
        assertThat(skip.offsetsWentBackwards(P0, 50, 8)).isEqualTo(8);
    }

    @Test
    void shouldDecideWhereAReaderContinuesAfterAnOutOfRangeFetch() {
        assertThat(skip.resumeAfterOutOfRange(P0, 10, 40, 90, 100))
                .as("below the log start")
                .isEqualTo(40);
        assertThat(skip.resumeAfterOutOfRange(P0, 95, 0, 60, 100))
                .as("past the log end: range done")
                .isEqualTo(100);
        assertThat(skip.resumeAfterOutOfRange(P0, 50, 40, 90, 100))
                .as("inside the log: retry")
                .isEqualTo(50);
        assertThatThrownBy(() -> fail.resumeAfterOutOfRange(P0, 10, 40, 90, 100))
                .hasMessageContaining("[10, 40)");
        assertThatThrownBy(() -> fail.resumeAfterOutOfRange(P0, 95, 0, 60, 100))
                .hasMessageContaining("ends at offset 60");
    }
}
