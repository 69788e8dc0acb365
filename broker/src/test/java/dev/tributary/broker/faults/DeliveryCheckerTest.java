package dev.tributary.broker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeliveryCheckerTest {
    private final DeliveryChecker checker = new DeliveryChecker();

    @Test
    void shouldPassWhenEveryAcknowledgedRecordIsReadBackOnceInOrder() {
        checker.acknowledged(0, 0, "a");
        checker.acknowledged(1, 0, "x");
        checker.acknowledged(0, 1, "b");
        checker.readBack(0, 0, "a");
        checker.readBack(0, 1, "b");
        checker.readBack(1, 0, "x");
        checker.observed(0, 1, "b");
        checker.observed(0, 1, "b"); // a group may read a record twice

        assertThat(checker.problems()).isEmpty();
        checker.verify();
        assertThat(checker.acknowledgedCount()).isEqualTo(3);
        assertThat(checker.acknowledgedEnds()).containsEntry(0, 2L).containsEntry(1, 1L);
    }

    @Test
    void shouldAcceptRecordsReadBackThatWereNeverAcknowledged() {
        // a send that failed or timed out may still have been written
        checker.acknowledged(0, 1, "b");
        checker.readBack(0, 0, "unacknowledged");
        checker.readBack(0, 1, "b");

        assertThat(checker.problems()).isEmpty();
    }

    @Test
    void shouldReportAnAcknowledgedRecordNeverReadBack() {
        checker.acknowledged(0, 0, "a");
        checker.acknowledged(0, 1, "b");
        checker.readBack(0, 0, "a");

        assertThat(checker.problems())
                .containsExactly("partition 0: acknowledged 'b' at offset 1 never read back (lost)");
        assertThatThrownBy(checker::verify)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("1 delivery problem(s) among 2 acknowledged records")
                .hasMessageContaining("never read back");
    }

    @Test
    void shouldReportAPartitionNeverReadAtAll() {
        checker.acknowledged(3, 7, "a");

        assertThat(checker.problems()).singleElement().asString().contains("partition 3", "lost");
    }

    @Test
    void shouldReportARecordReadBackTwice() {
        checker.acknowledged(0, 0, "a");
        checker.acknowledged(0, 1, "b");
        checker.readBack(0, 0, "a");
        checker.readBack(0, 1, "b");
        checker.readBack(0, 2, "b"); // a duplicate write of "b" at another offset

        assertThat(checker.problems()).containsExactly("partition 0: 'b' read back more than once");
    }

    @Test
    void shouldReportAnOffsetReadBackTwice() {
        checker.acknowledged(0, 0, "a");
        checker.readBack(0, 0, "a");
        checker.readBack(0, 0, "a");

        assertThat(checker.problems())
                .contains(
                        "partition 0: offset 0 read back after offset 0", "partition 0: 'a' read back more than once");
    }

    @Test
    void shouldReportAcknowledgedRecordsReadBackOutOfOrder() {
        checker.acknowledged(0, 5, "a");
        checker.acknowledged(0, 6, "b");
        checker.readBack(0, 5, "b");
        checker.readBack(0, 6, "a");

        assertThat(checker.problems())
                .anyMatch(p -> p.contains("out of order"))
                .anyMatch(p -> p.contains("offset 5 read back as 'b' but seen before as 'a'"));
    }

    @Test
    void shouldReportOneOffsetSeenWithTwoValues() {
        checker.observed(2, 10, "x");
        checker.observed(2, 10, "y");

        assertThat(checker.problems()).containsExactly("partition 2 offset 10 observed as 'y' but seen before as 'x'");
    }

    @Test
    void shouldReportAnAcknowledgedOffsetReadBackWithAnotherValue() {
        checker.acknowledged(0, 0, "a");
        checker.readBack(0, 0, "z");

        assertThat(checker.problems())
                .contains(
                        "partition 0 offset 0 read back as 'z' but seen before as 'a'",
                        "partition 0: acknowledged 'a' at offset 0 never read back (lost)");
    }

    @Test
    void shouldReportAnOffsetAcknowledgedWithTwoValuesInEitherOrder() {
        checker.readBack(0, 4, "read-first");
        checker.acknowledged(0, 4, "acked-later");

        assertThat(checker.problems())
                .contains("partition 0 offset 4 acknowledged as 'acked-later' but seen before as 'read-first'");
    }

    @Test
    void shouldReportAValueAcknowledgedAtTwoOffsets() {
        checker.acknowledged(0, 0, "a");
        checker.acknowledged(0, 1, "a");
        checker.readBack(0, 0, "a");
        checker.readBack(0, 1, "a");

        assertThat(checker.problems()).contains("partition 0: 'a' acknowledged at offsets 0 and 1");
    }
}
