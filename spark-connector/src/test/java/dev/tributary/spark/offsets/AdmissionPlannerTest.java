package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AdmissionPlannerTest {
  static final TopicPartition P0 = new TopicPartition("t", 0);
  static final TopicPartition P1 = new TopicPartition("t", 1);
  static final TopicPartition P2 = new TopicPartition("t", 2);

  static PartitionOffsets offsets(long p0, long p1, long p2) {
    return PartitionOffsets.of(Map.of(P0, p0, P1, p1, P2, p2));
  }

  static long total(PartitionOffsets start, PartitionOffsets end) {
    long n = 0;
    for (TopicPartition tp : end.partitions()) {
      n += end.get(tp) - start.get(tp);
    }
    return n;
  }

  @Test
  void shouldAdmitEverythingWithoutLimits() {
    PartitionOffsets end = new AdmissionPlanner(0, 0, 0, 0).limit(offsets(0, 0, 0), offsets(10, 20, 30), Map.of());
    assertThat(end).isEqualTo(offsets(10, 20, 30));
  }

  @Test
  void shouldShareMaxOffsetsInProportionToBacklogAndNeverExceedIt() {
    PartitionOffsets start = offsets(0, 100, 0);
    PartitionOffsets end = new AdmissionPlanner(100, 0, 0, 0).limit(start, offsets(1000, 200, 7), Map.of());
    assertThat(total(start, end)).isEqualTo(100);
    assertThat(end.get(P0) - start.get(P0)).isGreaterThan(end.get(P1) - start.get(P1));
    assertThat(end.get(P2)).isBetween(0L, 7L);
  }

  @Test
  void shouldNotStarveASmallPartitionForever() {
    // backlog 10_000 vs 1: the small one's share rounds to 0 but the leftover goes round
    PartitionOffsets start = offsets(0, 0, 0);
    PartitionOffsets end = new AdmissionPlanner(3, 0, 0, 0).limit(start, offsets(10_000, 1, 0), Map.of());
    assertThat(total(start, end)).isEqualTo(3);
  }

  @Test
  void shouldLimitBytesUsingEstimatedRecordSizes() {
    PartitionOffsets start = offsets(0, 0, 0);
    PartitionOffsets latest = offsets(100, 100, 0);
    Map<TopicPartition, Double> sizes = Map.of(P0, 100.0, P1, 300.0);
    PartitionOffsets end = new AdmissionPlanner(0, 4000, 0, 0).limit(start, latest, sizes);
    double bytes = end.get(P0) * 100.0 + end.get(P1) * 300.0;
    assertThat(bytes).isLessThanOrEqualTo(4000).isGreaterThan(3600);
  }

  @Test
  void shouldAdmitOneRecordWhenASingleRecordExceedsTheByteBudget() {
    PartitionOffsets start = offsets(5, 0, 0);
    PartitionOffsets end = new AdmissionPlanner(0, 10, 0, 0).limit(start, offsets(9, 0, 0), Map.of(P0, 1000.0));
    assertThat(end).isEqualTo(offsets(6, 0, 0));
  }

  @Test
  void shouldApplyTheTighterOfRowAndByteLimits() {
    PartitionOffsets start = offsets(0, 0, 0);
    PartitionOffsets end = new AdmissionPlanner(5, 1_000_000, 0, 0).limit(start, offsets(100, 0, 0), Map.of(P0, 10.0));
    assertThat(end.get(P0)).isEqualTo(5);
  }

  @Test
  void shouldWaitForMinOffsetsUntilTheTriggerDelayPasses() {
    AdmissionPlanner planner = new AdmissionPlanner(0, 0, 100, 60_000);
    assertThat(planner.shouldRunBatch(99, 1_000, 30_000)).isFalse();
    assertThat(planner.shouldRunBatch(100, 1_000, 30_000)).isTrue();
    assertThat(planner.shouldRunBatch(1, 1_000, 61_000)).isTrue();
  }
}
