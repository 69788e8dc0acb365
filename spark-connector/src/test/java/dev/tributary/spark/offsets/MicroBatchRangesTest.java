package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class MicroBatchRangesTest {
    static final TopicPartition A0 = new TopicPartition("a", 0);
    static final TopicPartition A1 = new TopicPartition("a", 1);
    static final TopicPartition B0 = new TopicPartition("b", 0);

    final DataLossPolicy fail = new DataLossPolicy(true);
    final DataLossPolicy skip = new DataLossPolicy(false);

    @Test
    void shouldGiveEachPartitionOfTheEndItsRangeAcrossTopics() {
        PartitionOffsets start = PartitionOffsets.of(Map.of(A0, 10L, A1, 0L, B0, 5L));
        PartitionOffsets end = PartitionOffsets.of(Map.of(A0, 20L, A1, 0L, B0, 9L));
        PartitionOffsets logStart = PartitionOffsets.of(Map.of(A0, 0L, A1, 0L, B0, 5L));
        assertThat(MicroBatchRanges.plan(start, end, logStart, fail))
                .containsExactly(new OffsetRange(A0, 10, 20), new OffsetRange(A1, 0, 0), new OffsetRange(B0, 5, 9));
    }

    @Test
    void shouldReadANewPartitionFromOffsetZero() {
        PartitionOffsets start = PartitionOffsets.of(Map.of(A0, 10L));
        PartitionOffsets end = PartitionOffsets.of(Map.of(A0, 10L, A1, 4L));
        PartitionOffsets logStart = PartitionOffsets.of(Map.of(A0, 0L, A1, 0L));
        assertThat(MicroBatchRanges.plan(start, end, logStart, fail))
                .containsExactly(new OffsetRange(A0, 10, 10), new OffsetRange(A1, 0, 4));
    }

    @Test
    void shouldTreatANewPartitionThatLostItsHeadAsDataLoss() {
        PartitionOffsets start = PartitionOffsets.of(Map.of(A0, 10L));
        PartitionOffsets end = PartitionOffsets.of(Map.of(A0, 10L, A1, 9L));
        PartitionOffsets logStart = PartitionOffsets.of(Map.of(A0, 0L, A1, 3L));
        assertThatThrownBy(() -> MicroBatchRanges.plan(start, end, logStart, fail))
                .hasMessageContaining("a-1")
                .hasMessageContaining("[0, 3)");
        assertThat(MicroBatchRanges.plan(start, end, logStart, skip))
                .containsExactly(new OffsetRange(A0, 10, 10), new OffsetRange(A1, 3, 9));
        assertThat(skip.lostOffsets()).isEqualTo(3);
    }

    @Test
    void shouldGiveNoRangeToAPartitionTheEndDropped() {
        PartitionOffsets start = PartitionOffsets.of(Map.of(A0, 10L, A1, 3L));
        PartitionOffsets end = PartitionOffsets.of(Map.of(A0, 12L));
        assertThat(MicroBatchRanges.plan(start, end, PartitionOffsets.of(Map.of(A0, 0L)), fail))
                .containsExactly(new OffsetRange(A0, 10, 12));
    }

    @Test
    void shouldFailOrSkipRecordsDeletedSinceTheEndWasChosen() {
        PartitionOffsets start = PartitionOffsets.of(Map.of(A0, 10L));
        PartitionOffsets end = PartitionOffsets.of(Map.of(A0, 50L));
        PartitionOffsets logStart = PartitionOffsets.of(Map.of(A0, 30L));
        assertThatThrownBy(() -> MicroBatchRanges.plan(start, end, logStart, fail))
                .hasMessageContaining("TRIBUTARY_DATA_LOSS")
                .hasMessageContaining("a-0: offsets [10, 30)");
        assertThat(MicroBatchRanges.plan(start, end, logStart, skip)).containsExactly(new OffsetRange(A0, 30, 50));
        assertThat(skip.lostOffsets()).isEqualTo(20);
    }

    @Test
    void shouldReadNothingOfAPartitionWhoseOffsetsWentBackwards() {
        PartitionOffsets start = PartitionOffsets.of(Map.of(A0, 50L, A1, 0L));
        PartitionOffsets end = PartitionOffsets.of(Map.of(A0, 8L, A1, 5L));
        PartitionOffsets logStart = PartitionOffsets.of(Map.of(A0, 0L, A1, 0L));
        assertThatThrownBy(() -> MicroBatchRanges.plan(start, end, logStart, fail))
                .hasMessageContaining("before the query's position 50");
        assertThat(MicroBatchRanges.plan(start, end, logStart, skip)).containsExactly(new OffsetRange(A1, 0, 5));
    }

    @Test
    void shouldFeedTheCalculatorThatSplitsLargeRangesIntoMinPartitions() {
        PartitionOffsets start = PartitionOffsets.of(Map.of(A0, 0L, A1, 0L));
        PartitionOffsets end = PartitionOffsets.of(Map.of(A0, 800L, A1, 200L));
        PartitionOffsets logStart = PartitionOffsets.of(Map.of(A0, 0L, A1, 0L));
        var parts = new OffsetRangeCalculator(10, 0)
                .plan(MicroBatchRanges.plan(start, end, logStart, fail), java.util.List.of());
        assertThat(parts).hasSize(10);
        assertThat(parts.stream().filter(r -> r.topicPartition().equals(A0)))
                .hasSize(8)
                .allSatisfy(r -> assertThat(r.size()).isEqualTo(100));
        assertThat(parts.stream().mapToLong(OffsetRange::size).sum()).isEqualTo(1000);
    }
}
