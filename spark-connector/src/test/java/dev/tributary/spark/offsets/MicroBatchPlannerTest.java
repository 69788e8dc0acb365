package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spark.offsets.MicroBatchPlanner.Action;
import dev.tributary.spark.offsets.MicroBatchPlanner.Next;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The micro-batch source's decisions, trigger by trigger, against a log held in maps: no broker, no
 * Spark session, no clock (the time is an argument).
 */
class MicroBatchPlannerTest {
    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);
    static final TopicPartition P2 = new TopicPartition("t", 2);
    static final AdmissionPlanner NO_LIMIT = new AdmissionPlanner(0, 0, 0, 0);
    static final MicroBatchPlanner.RecordSizes NO_SIZES = (from, until) -> {
        throw new AssertionError("record sizes are only needed for a byte limit");
    };

    final FakeLog log = new FakeLog().with(P0, 0, 100).with(P1, 0, 40);

    static PartitionOffsets offsets(long p0, long p1) {
        return PartitionOffsets.of(Map.of(P0, p0, P1, p1));
    }

    static MicroBatchPlanner planner(boolean failOnDataLoss) {
        return new MicroBatchPlanner(new DataLossPolicy(failOnDataLoss), new EndingCaps(null, null), 0);
    }

    Next next(MicroBatchPlanner planner, PartitionOffsets start, AdmissionPlanner admission, long nowMs) {
        return planner.next(start, log.partitions(), log, admission, nowMs, NO_SIZES);
    }

    @Test
    void shouldReadEveryPartitionUpToItsLatestOffset() {
        Next n = next(planner(true), offsets(10, 0), NO_LIMIT, 0);
        assertThat(n.action()).isEqualTo(Action.RUN);
        assertThat(n.end()).isEqualTo(offsets(100, 40));
    }

    @Test
    void shouldWaitWhenNothingIsNew() {
        assertThat(next(planner(true), offsets(100, 40), NO_LIMIT, 0)).isEqualTo(new Next(Action.WAIT, null));
    }

    @Test
    void shouldStartANewPartitionAtItsLogStart() {
        log.with(P2, 5, 25);
        Next n = next(planner(true), offsets(100, 40), NO_LIMIT, 0);
        assertThat(n.end()).isEqualTo(PartitionOffsets.of(Map.of(P0, 100L, P1, 40L, P2, 25L)));
    }

    @Test
    void shouldFailOrDropAPartitionThatWasDeleted() {
        log.delete(P1);
        assertThatThrownBy(() -> next(planner(true), offsets(10, 0), NO_LIMIT, 0))
                .hasMessageContaining("t-1")
                .hasMessageContaining("no longer exists");
        Next n = next(planner(false), offsets(10, 0), NO_LIMIT, 0);
        assertThat(n.end()).isEqualTo(PartitionOffsets.of(Map.of(P0, 100L)));
    }

    @Test
    void shouldFailOrMoveBackToTheNewEndWhenOffsetsWentBackwards() {
        log.with(P1, 0, 8); // recreated: the query was at 30
        assertThatThrownBy(() -> next(planner(true), offsets(100, 30), NO_LIMIT, 0))
                .hasMessageContaining("t-1")
                .hasMessageContaining("before the query's position 30");
        MicroBatchPlanner planner = planner(false);
        Next n = next(planner, offsets(100, 30), NO_LIMIT, 0);
        assertThat(n.action()).isEqualTo(Action.RUN);
        assertThat(n.end()).isEqualTo(offsets(100, 8));
        log.append(P1, 5);
        assertThat(next(planner, n.end(), NO_LIMIT, 0).end())
                .as("then reads on from there")
                .isEqualTo(offsets(100, 13));
    }

    @Test
    void shouldCapEveryBatchAtMaxOffsetsAndReachTheBacklogsEnd() {
        MicroBatchPlanner planner = planner(true);
        AdmissionPlanner limit = new AdmissionPlanner(30, 0, 0, 0);
        PartitionOffsets position = offsets(0, 0);
        List<Long> sizes = new ArrayList<>();
        for (Next n = next(planner, position, limit, 0);
                n.action() == Action.RUN;
                n = next(planner, position, limit, 0)) {
            sizes.add(n.end().get(P0) - position.get(P0) + n.end().get(P1) - position.get(P1));
            position = n.end();
        }
        assertThat(sizes).containsExactly(30L, 30L, 30L, 30L, 20L);
        assertThat(position).isEqualTo(offsets(100, 40));
    }

    @Test
    void shouldWaitForMinOffsetsUntilTheDelaySinceTheLastBatch() {
        MicroBatchPlanner planner = planner(true);
        AdmissionPlanner min = new AdmissionPlanner(0, 0, 500, 60_000);
        assertThat(next(planner, offsets(0, 0), min, 59_999).action()).isEqualTo(Action.WAIT);
        assertThat(next(planner, offsets(0, 0), min, 60_000).action()).isEqualTo(Action.RUN);
        log.append(P0, 10);
        assertThat(next(planner, offsets(100, 40), min, 100_000).action())
                .as("delay counts from the last batch")
                .isEqualTo(Action.WAIT);
        assertThat(next(planner, offsets(100, 40), min, 120_000).action()).isEqualTo(Action.RUN);
    }

    @Test
    void shouldAskForRecordSizesOnlyWithAByteLimitAndABacklog() {
        MicroBatchPlanner planner = planner(true);
        List<PartitionOffsets> asked = new ArrayList<>();
        MicroBatchPlanner.RecordSizes sizes = (from, until) -> {
            asked.add(until);
            return Map.of(P0, 10.0, P1, 10.0);
        };
        AdmissionPlanner bytes = new AdmissionPlanner(0, 200, 0, 0);
        Next n = planner.next(offsets(0, 0), log.partitions(), log, bytes, 0, sizes);
        assertThat(n.end().get(P0) + n.end().get(P1)).isEqualTo(20);
        assertThat(asked).containsExactly(offsets(100, 40));
        planner.next(offsets(100, 40), log.partitions(), log, bytes, 0, sizes);
        assertThat(asked).hasSize(1);
    }

    @Test
    void shouldStopAtTheAvailableNowSnapshot() {
        EndingCaps caps = new EndingCaps(null, null);
        caps.snapshotAvailableNow(offsets(100, 40));
        MicroBatchPlanner planner = new MicroBatchPlanner(new DataLossPolicy(true), caps, 0);
        log.append(P0, 50).with(P2, 0, 9);
        Next n = next(planner, offsets(0, 0), NO_LIMIT, 0);
        assertThat(n.end()).isEqualTo(PartitionOffsets.of(Map.of(P0, 100L, P1, 40L, P2, 0L)));
        assertThat(next(planner, n.end(), NO_LIMIT, 0).action()).isEqualTo(Action.WAIT);
    }

    @Test
    void shouldEndWhenEveryPartitionHasPassedTheEndingTimestampAndBeenRead() {
        // record o has timestamp 1000 * o: the end at 30 s caps both partitions at offset 30
        MicroBatchPlanner planner = new MicroBatchPlanner(
                new DataLossPolicy(true), new EndingCaps(new OffsetSpec.GlobalTimestamp(30_000), "30000"), 0);
        Next n = next(planner, offsets(0, 0), new AdmissionPlanner(40, 0, 0, 0), 0);
        assertThat(n.end()).isEqualTo(offsets(20, 20));
        n = next(planner, n.end(), new AdmissionPlanner(40, 0, 0, 0), 0);
        assertThat(n.end()).isEqualTo(offsets(30, 30));
        assertThat(next(planner, n.end(), NO_LIMIT, 0).action()).isEqualTo(Action.END);
    }

    @Test
    void shouldNotEndWhileAPartitionHasNoRecordPastTheEndingTimestamp() {
        log.with(P1, 0, 20); // P1's newest record is at 19 s
        MicroBatchPlanner planner = new MicroBatchPlanner(
                new DataLossPolicy(true), new EndingCaps(new OffsetSpec.GlobalTimestamp(30_000), "30000"), 0);
        Next n = next(planner, offsets(0, 0), NO_LIMIT, 0);
        assertThat(n.end()).isEqualTo(offsets(30, 20));
        assertThat(next(planner, n.end(), NO_LIMIT, 0).action()).isEqualTo(Action.WAIT);
        log.append(P1, 20);
        n = next(planner, n.end(), NO_LIMIT, 0);
        assertThat(n.end()).isEqualTo(offsets(30, 30));
        assertThat(next(planner, n.end(), NO_LIMIT, 0).action()).isEqualTo(Action.END);
    }

    @Test
    void shouldReportLagBehindTheLatestOffsetsAndLostOffsets() {
        MicroBatchPlanner planner = planner(false);
        assertThat(planner.metrics(null)).containsOnly(Map.entry("offsetsLost", "0"));
        next(planner, offsets(0, 0), NO_LIMIT, 0);
        assertThat(planner.latestSeen()).isEqualTo(offsets(100, 40));
        assertThat(planner.metrics(offsets(70, 40)))
                .containsEntry("minOffsetsBehindLatest", "0")
                .containsEntry("maxOffsetsBehindLatest", "30")
                .containsEntry("avgOffsetsBehindLatest", "15.0");
    }
}
