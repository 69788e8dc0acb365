package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetRangeCalculatorTest {
    static final TopicPartition A0 = new TopicPartition("a", 0);
    static final TopicPartition A1 = new TopicPartition("a", 1);

    @Test
    void shouldKeepRangesWhenNoLimitsAreSet() {
        List<OffsetRange> out = new OffsetRangeCalculator(0, 0)
                .plan(List.of(new OffsetRange(A0, 0, 100), new OffsetRange(A1, 5, 6)), List.of());
        assertThat(out).containsExactly(new OffsetRange(A0, 0, 100), new OffsetRange(A1, 5, 6));
    }

    @Test
    void shouldDropEmptyRanges() {
        assertThat(new OffsetRangeCalculator(4, 0).plan(List.of(new OffsetRange(A0, 7, 7)), List.of()))
                .isEmpty();
    }

    @Test
    void shouldCutRangesLargerThanMaxRecordsPerPartitionIntoEqualContiguousParts() {
        List<OffsetRange> out = new OffsetRangeCalculator(0, 30).plan(List.of(new OffsetRange(A0, 10, 110)), List.of());
        assertThat(out).hasSize(4);
        assertThat(out).allSatisfy(r -> assertThat(r.size()).isLessThanOrEqualTo(30));
        assertContiguous(out, 10, 110);
    }

    @Test
    void shouldSpreadMinPartitionsInProportionToRangeSize() {
        List<OffsetRange> out = new OffsetRangeCalculator(10, 0)
                .plan(List.of(new OffsetRange(A0, 0, 900), new OffsetRange(A1, 0, 100)), List.of());
        assertThat(out.stream().filter(r -> r.topicPartition().equals(A0))).hasSize(9);
        assertThat(out.stream().filter(r -> r.topicPartition().equals(A1))).hasSize(1);
        assertContiguous(out.stream().filter(r -> r.topicPartition().equals(A0)).toList(), 0, 900);
    }

    @Test
    void shouldNeverCutARangeIntoMorePartsThanOffsets() {
        List<OffsetRange> out = new OffsetRangeCalculator(50, 0).plan(List.of(new OffsetRange(A0, 0, 3)), List.of());
        assertThat(out)
                .containsExactly(new OffsetRange(A0, 0, 1), new OffsetRange(A0, 1, 2), new OffsetRange(A0, 2, 3));
    }

    @Test
    void shouldGiveEveryPartOfATopicPartitionTheSameExecutorEveryTime() {
        List<String> executors = List.of("executor_h1_1", "executor_h1_2", "executor_h2_3");
        List<OffsetRange> first =
                new OffsetRangeCalculator(0, 10).plan(List.of(new OffsetRange(A0, 0, 100)), executors);
        List<OffsetRange> second =
                new OffsetRangeCalculator(0, 10).plan(List.of(new OffsetRange(A0, 100, 250)), executors);
        assertThat(first)
                .extracting(OffsetRange::preferredLocation)
                .containsOnly(first.get(0).preferredLocation());
        assertThat(second)
                .extracting(OffsetRange::preferredLocation)
                .containsOnly(first.get(0).preferredLocation());
        assertThat(first.get(0).preferredLocation()).isIn(executors);
    }

    @Test
    void shouldGiveNoPreferenceWithoutExecutors() {
        assertThat(new OffsetRangeCalculator(0, 0)
                        .plan(List.of(new OffsetRange(A0, 0, 1)), List.of())
                        .get(0)
                        .preferredLocation())
                .isNull();
    }

    @Test
    void shouldSplitHugeRangesWithoutOverflow() {
        List<OffsetRange> out =
                new OffsetRangeCalculator(3, 0).plan(List.of(new OffsetRange(A0, 0, Long.MAX_VALUE - 1)), List.of());
        assertThat(out).hasSize(3);
        assertContiguous(out, 0, Long.MAX_VALUE - 1);
    }

    private static void assertContiguous(List<OffsetRange> parts, long from, long until) {
        assertThat(parts.get(0).from()).isEqualTo(from);
        for (int i = 1; i < parts.size(); i++) {
            assertThat(parts.get(i).from()).isEqualTo(parts.get(i - 1).until());
        }
        assertThat(parts.get(parts.size() - 1).until()).isEqualTo(until);
    }
}
