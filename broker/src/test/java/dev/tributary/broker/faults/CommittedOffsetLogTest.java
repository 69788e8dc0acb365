package dev.tributary.broker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CommittedOffsetLogTest {
    private final CommittedOffsetLog log = new CommittedOffsetLog();

    @Test
    void shouldAcceptOffsetsThatGrowOrStay() {
        log.committed(0, null, "first assignment"); // nothing committed yet
        log.committed(0, 5L, "commit");
        log.committed(0, 5L, "after rebalance");
        log.committed(1, 2L, "commit");
        log.committed(0, 9L, "commit");

        assertThat(log.problems()).isEmpty();
        log.verify();
        assertThat(log.highest()).containsEntry(0, 9L).containsEntry(1, 2L);
        assertThat(log.reports()).isEqualTo(5);
    }

    @Test
    void shouldReportAnOffsetThatWentBack() {
        log.committed(0, 9L, "commit");
        log.committed(0, 3L, "after rebalance");

        assertThat(log.problems())
                .containsExactly("partition 0: committed offset went back from 9 to 3 (after rebalance)");
        assertThatThrownBy(log::verify).isInstanceOf(AssertionError.class).hasMessageContaining("went back");
        assertThat(log.highest()).containsEntry(0, 9L);
    }

    @Test
    void shouldReportACommittedOffsetThatDisappeared() {
        log.committed(2, 4L, "commit");
        log.committed(2, null, "new coordinator");

        assertThat(log.problems()).containsExactly("partition 2: no committed offset (new coordinator) after 4");
    }
}
