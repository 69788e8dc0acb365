package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.junit.jupiter.api.Test;

class BatchRangesTest {
    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final PartitionOffsets ZERO = PartitionOffsets.of(Map.of(P0, 0L));
    final DataLossPolicy fail = new DataLossPolicy(true);
    final DataLossPolicy skip = new DataLossPolicy(false);

    static PartitionOffsets at(long v) {
        return PartitionOffsets.of(Map.of(P0, v));
    }

    @Test
    void shouldFailOnLostOffsetsWhenAsked() {
        assertThatThrownBy(() ->
                        BatchRanges.compute(List.of(P0), ZERO, at(100), at(40), FilterBounds.none(), null, null, fail))
                .hasMessageContaining("TRIBUTARY_DATA_LOSS")
                .hasMessageContaining("t-0")
                .hasMessageContaining("[0, 40)");
    }

    @Test
    void shouldSkipLostOffsetsWhenAllowed() {
        assertThat(BatchRanges.compute(List.of(P0), ZERO, at(100), at(40), FilterBounds.none(), null, null, skip))
                .containsExactly(new OffsetRange(P0, 40, 100));
    }

    @Test
    void shouldNarrowByOffsetAndTimestampBounds() {
        FilterBounds b = FilterBounds.of(new Filter[] {new GreaterThanOrEqual("offset", 10L)});
        assertThat(BatchRanges.compute(List.of(P0), ZERO, at(100), ZERO, b, Map.of(P0, 5L), Map.of(P0, 60L), fail))
                .containsExactly(new OffsetRange(P0, 10, 60));
    }

    @Test
    void shouldReadNothingWhenNoRecordReachesTheLowerTimestamp() {
        assertThat(BatchRanges.compute(List.of(P0), ZERO, at(100), ZERO, FilterBounds.none(), Map.of(), null, fail))
                .isEmpty();
    }

    @Test
    void shouldRejectAStartAfterTheEnd() {
        assertThatThrownBy(() ->
                        BatchRanges.compute(List.of(P0), at(50), at(40), ZERO, FilterBounds.none(), null, null, fail))
                .hasMessageContaining("start (50) is after the end (40)");
    }
}
