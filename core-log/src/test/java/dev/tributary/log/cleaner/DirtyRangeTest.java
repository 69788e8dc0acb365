package dev.tributary.log.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.LogConfig;
import dev.tributary.log.cleaner.DirtyRange.SegmentInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dirty-range rules, without files. */
class DirtyRangeTest {
    static final long NOW = 1_000_000;
    // segments [0,100) [100,200) [200,300) [300,...) active; 1000 bytes each, timestamps 10 s apart
    static final List<SegmentInfo> SEGMENTS = List.of(
            new SegmentInfo(0, 1000, NOW - 40_000, NOW - 45_000),
            new SegmentInfo(100, 1000, NOW - 30_000, NOW - 35_000),
            new SegmentInfo(200, 1000, NOW - 20_000, NOW - 25_000),
            new SegmentInfo(300, 1000, NOW - 10_000, NOW - 15_000));

    static LogConfig cfg(String... kv) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        m.put("cleanup.policy", "compact");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return LogConfig.fromMap(m);
    }

    @Test
    void shouldNeverIncludeTheActiveSegment() {
        DirtyRange r = DirtyRange.of(SEGMENTS, 0, 350, -1, cfg(), NOW);
        assertThat(r.firstDirtyOffset()).isZero();
        assertThat(r.firstUncleanableOffset()).isEqualTo(300);
        assertThat(r.cleanableBytes()).isEqualTo(3000);
        assertThat(r.dirtyRatio()).isEqualTo(1.0);
        assertThat(r.needsCleaning(0.5)).isTrue();
    }

    @Test
    void shouldStartAtTheCheckpointAndComputeTheDirtyRatio() {
        DirtyRange r = DirtyRange.of(SEGMENTS, 0, 350, 200, cfg(), NOW);
        assertThat(r.firstDirtyOffset()).isEqualTo(200);
        assertThat(r.cleanBytes()).isEqualTo(2000);
        assertThat(r.cleanableBytes()).isEqualTo(1000);
        assertThat(r.dirtyRatio()).isEqualTo(1.0 / 3);
        assertThat(r.needsCleaning(0.5)).as("below min.cleanable.dirty.ratio").isFalse();
        assertThat(r.needsCleaning(0.3)).isTrue();
    }

    @Test
    void shouldResetACheckpointOutsideTheLogToTheLogStart() {
        assertThat(DirtyRange.of(SEGMENTS, 100, 350, 50, cfg(), NOW).firstDirtyOffset())
                .isEqualTo(100);
        assertThat(DirtyRange.of(SEGMENTS, 0, 350, 9999, cfg(), NOW).firstDirtyOffset())
                .isZero();
    }

    @Test
    void shouldStopBeforeTheFirstSegmentYoungerThanMinCompactionLag() {
        DirtyRange r = DirtyRange.of(SEGMENTS, 0, 350, -1, cfg("min.compaction.lag.ms", "25000"), NOW);
        assertThat(r.firstUncleanableOffset())
                .as("segment 200 holds a record 20 s old")
                .isEqualTo(200);
        assertThat(r.cleanableBytes()).isEqualTo(2000);
        DirtyRange none = DirtyRange.of(SEGMENTS, 0, 350, -1, cfg("min.compaction.lag.ms", "50000"), NOW);
        assertThat(none.needsCleaning(0)).isFalse();
    }

    @Test
    void shouldForceCleaningPastMaxCompactionLagEvenBelowTheRatio() {
        DirtyRange r = DirtyRange.of(SEGMENTS, 0, 350, 200, cfg("max.compaction.lag.ms", "20000"), NOW);
        assertThat(r.maxLagExceeded()).as("the first dirty batch is 25 s old").isTrue();
        assertThat(r.needsCleaning(0.9)).isTrue();
        assertThat(DirtyRange.of(SEGMENTS, 0, 350, 200, cfg("max.compaction.lag.ms", "30000"), NOW)
                        .needsCleaning(0.9))
                .isFalse();
    }

    @Test
    void shouldHaveNothingToCleanWithOnlyTheActiveSegment() {
        DirtyRange r = DirtyRange.of(List.of(new SegmentInfo(0, 5000, NOW, NOW)), 0, 10, -1, cfg(), NOW);
        assertThat(r.needsCleaning(0)).isFalse();
    }

    @Test
    void shouldMergeSmallSegmentsUpToSegmentBytes() {
        List<SegmentGroups.Segment> segs = List.of(
                new SegmentGroups.Segment(0, 10, 400, 8, 12),
                new SegmentGroups.Segment(10, 20, 400, 8, 12),
                new SegmentGroups.Segment(20, 30, 300, 8, 12),
                new SegmentGroups.Segment(30, 40, 900, 8, 12),
                new SegmentGroups.Segment(40, 50, 50, 8, 12));
        assertThat(SegmentGroups.group(segs, 1000, 1 << 20)).containsExactly(List.of(0, 1), List.of(2), List.of(3, 4));
        assertThat(SegmentGroups.group(segs, 1 << 20, 16))
                .as("offset index fits 2, time index only 1")
                .containsExactly(List.of(0), List.of(1), List.of(2), List.of(3), List.of(4));
        assertThat(SegmentGroups.group(segs, 1 << 20, 24))
                .as("index bytes limit")
                .containsExactly(List.of(0, 1), List.of(2, 3), List.of(4));
        List<SegmentGroups.Segment> far = List.of(
                new SegmentGroups.Segment(0, 10, 1, 0, 0),
                new SegmentGroups.Segment(3_000_000_000L, 3_000_000_001L, 1, 0, 0));
        assertThat(SegmentGroups.group(far, 1000, 1000))
                .as("relative offsets must fit an int")
                .containsExactly(List.of(0), List.of(1));
    }

    @Test
    void shouldKeepTheLatestOffsetPerKeyInTheOffsetMap() {
        OffsetMap map = new OffsetMap(OffsetMap.SLOT_SIZE * 100, 0.5);
        assertThat(map.maxEntries()).isEqualTo(50);
        for (int i = 0; i < 50; i++) {
            map.put(java.nio.ByteBuffer.wrap(("k" + i).getBytes()), i);
        }
        map.put(java.nio.ByteBuffer.wrap("k7".getBytes()), 99);
        assertThat(map.size()).isEqualTo(50);
        assertThat(map.isFull()).isTrue();
        assertThat(map.get(java.nio.ByteBuffer.wrap("k7".getBytes()))).isEqualTo(99);
        assertThat(map.get(java.nio.ByteBuffer.wrap("k8".getBytes()))).isEqualTo(8);
        assertThat(map.get(java.nio.ByteBuffer.wrap("absent".getBytes()))).isEqualTo(-1);
        assertThat(map.latestOffset()).isEqualTo(99);
        map.clear();
        assertThat(map.size()).isZero();
        assertThat(map.get(java.nio.ByteBuffer.wrap("k7".getBytes()))).isEqualTo(-1);
    }

    @Test
    void shouldSleepWhenIoExceedsTheThrottleRate() throws Exception {
        long[] now = {0};
        long[] slept = {0};
        Throttler t = new Throttler(1_000_000, () -> now[0], n -> {
            slept[0] += n;
            now[0] += n;
        });
        now[0] += 100_000_000; // 100 ms in which 1 MB was done: 10x the 1 MB/s limit
        t.maybeThrottle(1_000_000);
        assertThat(slept[0]).isEqualTo(900_000_000);
        now[0] += 200_000_000; // 200 ms for 100 KB: under the limit
        t.maybeThrottle(100_000);
        assertThat(t.throttledNanos()).isEqualTo(900_000_000);
    }

    @Test
    void shouldRoundTripTheCheckpointFileAndNameTheLineOfDamage(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        CleanerOffsetCheckpoint cp = new CleanerOffsetCheckpoint(dir);
        assertThat(cp.read()).isEmpty();
        cp.write(Map.of("orders-0", 51200L, "my-topic-12", 7L));
        assertThat(new CleanerOffsetCheckpoint(dir).read())
                .containsExactlyInAnyOrderEntriesOf(Map.of("orders-0", 51200L, "my-topic-12", 7L));
        assertThat(java.nio.file.Files.readString(cp.file())).startsWith("0\n2\n");
        java.nio.file.Files.writeString(cp.file(), "0\n1\norders 0 notanumber\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(cp::read)
                .isInstanceOf(CleanerOffsetCheckpoint.CorruptCheckpointException.class)
                .hasMessageContaining("line 3")
                .hasMessageContaining("notanumber");
        java.nio.file.Files.writeString(cp.file(), "1\n0\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(cp::read).hasMessageContaining("unsupported version");
    }
}
