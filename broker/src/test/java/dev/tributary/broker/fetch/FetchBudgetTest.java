package dev.tributary.broker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FetchBudgetTest {

    @Test
    void shouldAlwaysAcceptTheFirstBatchEvenWhenLargerThanBothLimits() {
        FetchBudget b = new FetchBudget(1000);
        assertThat(b.askFor(500)).isEqualTo(500);
        assertThat(b.accept(5000, 500)).isTrue();
        assertThat(b.remaining()).isNegative();
    }

    @Test
    void shouldRefuseLaterPartitionsThatDoNotFitWhatIsLeft() {
        FetchBudget b = new FetchBudget(1000);
        assertThat(b.accept(800, 1000)).isTrue();
        assertThat(b.askFor(1000)).isEqualTo(200);
        assertThat(b.accept(300, 1000)).isFalse();
        assertThat(b.accept(200, 1000)).isTrue();
        assertThat(b.askFor(1000)).isEqualTo(1); // nothing left: ask for the minimum, it will be refused
        assertThat(b.accept(1, 1000)).isFalse();
    }

    @Test
    void shouldRespectThePartitionLimitForLaterPartitions() {
        FetchBudget b = new FetchBudget(10_000);
        assertThat(b.accept(100, 100)).isTrue();
        assertThat(b.accept(150, 100)).isFalse();
    }

    @Test
    void shouldAcceptEmptyReadsWithoutCharging() {
        FetchBudget b = new FetchBudget(10);
        assertThat(b.accept(0, 10)).isTrue();
        assertThat(b.accept(50, 10)).isTrue(); // still the first data
        assertThat(b.remaining()).isEqualTo(-40);
    }
}
