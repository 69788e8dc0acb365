package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class EndingCapsTest {
    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);
    static final List<TopicPartition> BOTH = List.of(P0, P1);

    static PartitionOffsets offsets(long p0, long p1) {
        return PartitionOffsets.of(Map.of(P0, p0, P1, p1));
    }

    @Test
    void shouldRefuseEndsThatAStreamCannotReach() {
        assertThatThrownBy(() -> new EndingCaps(new OffsetSpec.Latest(), "latest"))
                .hasMessageContaining("TRIBUTARY_INVALID_OPTION")
                .hasMessageContaining("endingOffsets");
        assertThatThrownBy(() -> new EndingCaps(new OffsetSpec.Earliest(), "earliest"))
                .hasMessageContaining("TRIBUTARY_INVALID_OPTION");
    }

    @Test
    void shouldCapNothingAndNeverEndWithoutAnEndingOption() {
        EndingCaps caps = new EndingCaps(null, null);
        FakeLog log = new FakeLog().with(P0, 0, 100).with(P1, 0, 50);
        caps.resolve(BOTH, log);
        assertThat(caps.cap(offsets(100, 50), offsets(0, 0))).isEqualTo(offsets(100, 50));
        assertThat(caps.endReached(BOTH, offsets(100, 50))).isFalse();
        assertThat(log.timestampQueries).isZero();
    }

    @Test
    void shouldCapAtEndingOffsetsAndLeavePartitionsTheJsonDoesNotNameOpen() {
        EndingCaps caps = new EndingCaps(new OffsetSpec.Specific(PartitionOffsets.of(Map.of(P0, 30L))), "{...}");
        caps.resolve(BOTH, new FakeLog());
        assertThat(caps.cap(offsets(100, 50), offsets(10, 10))).isEqualTo(offsets(30, 50));
        assertThat(caps.endReached(BOTH, offsets(30, 50))).as("P1 has no end").isFalse();
    }

    @Test
    void shouldEndOnceEveryPartitionReachesItsEndingOffset() {
        EndingCaps caps = new EndingCaps(new OffsetSpec.Specific(offsets(30, 20)), "{...}");
        caps.resolve(BOTH, new FakeLog());
        assertThat(caps.endReached(BOTH, offsets(30, 19))).isFalse();
        assertThat(caps.endReached(BOTH, offsets(30, 20))).isTrue();
    }

    @Test
    void shouldCapAtTheFirstOffsetAtOrAfterTheEndingTimestampOnceSuchARecordExists() {
        EndingCaps caps = new EndingCaps(new OffsetSpec.GlobalTimestamp(40_000), "40000");
        FakeLog log = new FakeLog().with(P0, 0, 60).with(P1, 0, 30); // P1 has no record at 40 s yet
        caps.resolve(BOTH, log);
        assertThat(caps.cap(offsets(60, 30), offsets(0, 0))).isEqualTo(offsets(40, 30));
        assertThat(caps.endReached(BOTH, offsets(40, 30)))
                .as("P1 may still get records before the end")
                .isFalse();

        log.append(P1, 20);
        caps.resolve(BOTH, log);
        assertThat(caps.cap(offsets(60, 50), offsets(40, 30))).isEqualTo(offsets(40, 40));
        assertThat(caps.endReached(BOTH, offsets(40, 40))).isTrue();
        assertThat(log.timestampQueries).as("P0's cap is not asked for again").isEqualTo(2);
        caps.resolve(BOTH, log);
        assertThat(log.timestampQueries).isEqualTo(2);
    }

    @Test
    void shouldUsePerPartitionTimestamps() {
        EndingCaps caps = new EndingCaps(new OffsetSpec.PartitionTimestamps(offsets(10_000, 20_000)), "{...}");
        caps.resolve(BOTH, new FakeLog().with(P0, 0, 60).with(P1, 0, 60));
        assertThat(caps.cap(offsets(60, 60), offsets(0, 0))).isEqualTo(offsets(10, 20));
    }

    @Test
    void shouldHoldAvailableNowAtTheSnapshotAndNewPartitionsWhereTheyStart() {
        EndingCaps caps = new EndingCaps(null, null);
        assertThat(caps.availableNow()).isFalse();
        caps.snapshotAvailableNow(PartitionOffsets.of(Map.of(P0, 100L)));
        assertThat(caps.availableNow()).isTrue();
        // P0 grew to 150 and P1 appeared after the snapshot
        assertThat(caps.cap(offsets(150, 40), offsets(20, 0))).isEqualTo(offsets(100, 0));
    }

    @Test
    void shouldNeverCapBelowWhereAPartitionStarts() {
        EndingCaps caps = new EndingCaps(new OffsetSpec.Specific(offsets(30, 30)), "{...}");
        caps.resolve(BOTH, new FakeLog());
        assertThat(caps.cap(offsets(100, 100), offsets(45, 10))).isEqualTo(offsets(45, 30));
    }
}
