package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
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
        // P0 has a huge backlog that a producer keeps topping up; P1 gets one record per trigger. With a
        // budget of 3, P1's proportional share is far below one offset, every time.
        AdmissionPlanner planner = new AdmissionPlanner(3, 0, 0, 0);
        PartitionOffsets position = offsets(0, 0, 0);
        long p0Latest = 10_000;
        long p1Latest = 1;
        for (int trigger = 0; trigger < 1_000; trigger++) {
            PartitionOffsets latest = offsets(p0Latest, p1Latest, 0);
            PartitionOffsets end = planner.limit(position, latest, Map.of());
            assertThat(end.get(P1) - position.get(P1))
                    .as("P1 admitted at trigger %d", trigger)
                    .isEqualTo(1);
            assertThat(total(position, end))
                    .as("trigger %d admits the whole budget", trigger)
                    .isEqualTo(3);
            position = end;
            p0Latest += 5;
            p1Latest += 1;
        }
    }

    @Test
    void shouldServeEveryPartitionWithinCeilOfPartitionsOverBudgetTriggersWhenTheBudgetIsShort() {
        // five partitions with a backlog, a budget of 2: each must be admitted at least once in every run
        // of ceil(5 / 2) = 3 consecutive triggers, however uneven the backlogs
        TopicPartition[] tps = new TopicPartition[5];
        Map<TopicPartition, Long> latest = new HashMap<>();
        Map<TopicPartition, Long> position = new HashMap<>();
        for (int p = 0; p < tps.length; p++) {
            tps[p] = new TopicPartition("t", p);
            latest.put(tps[p], p == 0 ? 1_000_000L : 10L);
            position.put(tps[p], 0L);
        }
        AdmissionPlanner planner = new AdmissionPlanner(2, 0, 0, 0);
        Map<TopicPartition, Integer> lastServed = new HashMap<>();
        for (int trigger = 0; trigger < 300; trigger++) {
            PartitionOffsets start = PartitionOffsets.of(position);
            PartitionOffsets end = planner.limit(start, PartitionOffsets.of(latest), Map.of());
            assertThat(total(start, end)).isEqualTo(2);
            for (TopicPartition tp : tps) {
                if (end.get(tp) > start.get(tp)) {
                    lastServed.put(tp, trigger);
                }
                assertThat(trigger - lastServed.getOrDefault(tp, -1))
                        .as("%s waited at trigger %d", tp, trigger)
                        .isLessThanOrEqualTo(3);
            }
            position = new HashMap<>(end.asMap());
            latest.replaceAll((tp, v) -> v + 1); // every partition keeps a backlog
        }
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
        PartitionOffsets end =
                new AdmissionPlanner(5, 1_000_000, 0, 0).limit(start, offsets(100, 0, 0), Map.of(P0, 10.0));
        assertThat(end.get(P0)).isEqualTo(5);
    }

    @Test
    void shouldNeverAdmitMoreThanTheBacklogOrMoveAPartitionWithout() {
        PartitionOffsets start = offsets(0, 5, 9);
        PartitionOffsets end = new AdmissionPlanner(1_000, 0, 0, 0).limit(start, offsets(3, 5, 9), Map.of());
        assertThat(end).isEqualTo(offsets(3, 5, 9));
    }

    @Test
    void shouldFlattenSparksReadLimits() {
        ReadLimit composite = ReadLimit.compositeLimit(
                new ReadLimit[] {ReadLimit.maxRows(5), ReadLimit.maxBytes(1_000), ReadLimit.minRows(50, 60_000)});
        AdmissionPlanner planner = AdmissionPlanner.of(composite, false);
        assertThat(planner.limitsBytes()).isTrue();
        assertThat(planner.shouldRunBatch(49, 0, 59_999)).isFalse();
        assertThat(planner.limit(offsets(0, 0, 0), offsets(100, 0, 0), Map.of(P0, 1.0))
                        .get(P0))
                .isEqualTo(5);
        assertThat(AdmissionPlanner.of(ReadLimit.allAvailable(), false)
                        .limit(offsets(0, 0, 0), offsets(100, 7, 0), Map.of()))
                .isEqualTo(offsets(100, 7, 0));
    }

    @Test
    void shouldIgnoreMinOffsetsInAnAvailableNowRun() {
        AdmissionPlanner planner = AdmissionPlanner.of(ReadLimit.minRows(50, 60_000), true);
        assertThat(planner.shouldRunBatch(1, 0, 1)).isTrue();
    }

    @Test
    void shouldWaitForMinOffsetsUntilTheTriggerDelayPasses() {
        AdmissionPlanner planner = new AdmissionPlanner(0, 0, 100, 60_000);
        assertThat(planner.shouldRunBatch(99, 1_000, 30_000)).isFalse();
        assertThat(planner.shouldRunBatch(100, 1_000, 30_000)).isTrue();
        assertThat(planner.shouldRunBatch(1, 1_000, 61_000)).isTrue();
    }
}
