package dev.tributary.log;

import static dev.tributary.log.LogTestSupport.batch;
import static dev.tributary.log.LogTestSupport.batchesIn;
import static dev.tributary.log.LogTestSupport.readRegion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.log.record.Codec;
import dev.tributary.log.segment.LogSegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention by time, size and log start offset, with delayed file deletion, on real files and an injected clock. */
class RetentionTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(10_000_000L);

    private Log open(Map<String, String> overrides) {
        Map<String, String> cfg =
                new java.util.HashMap<>(Map.of("segment.bytes", "3000", "file.delete.delay.ms", "60000"));
        cfg.putAll(overrides);
        return Log.open(tmp.resolve("r-0"), LogConfig.fromMap(cfg), clock);
    }

    /** Appends batches of ~1 KiB whose timestamps are the clock; returns the log. */
    private static void fill(Log log, MutableClock clock, int batches, long stepMs) {
        for (int i = 0; i < batches; i++) {
            log.append(batch(Codec.NONE, 1, 1000, clock.millis()));
            clock.advance(stepMs);
        }
    }

    private static long filesNamed(Path dir, String suffix) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        }
    }

    @Test
    void shouldDeleteSegmentsOlderThanRetentionMsByLargestTimestamp() throws Exception {
        try (Log log = open(Map.of("retention.ms", "200000"))) {
            // 2 batches per segment, 10 s apart: largest timestamps start+10 s, +30 s, ... +110 s; now start+120 s
            fill(log, clock, 12, 10_000);
            int before = log.numberOfSegments();
            assertThat(before).isEqualTo(6);
            assertThat(log.retention().segmentsDeleted())
                    .as("nothing is 200 s old yet")
                    .isZero();
            clock.advance(140_000); // now = start + 260 s: segments whose largest ts < start + 60 s go
            RetentionResult r = log.retention();
            assertThat(r.reason()).isEqualTo(RetentionPolicy.Reason.TIME);
            assertThat(r.segmentsDeleted()).isEqualTo(3);
            assertThat(log.numberOfSegments()).isEqualTo(3);
            assertThat(log.logStartOffset()).isEqualTo(6);
            assertThat(r.logStartOffset()).isEqualTo(6);
            assertThatThrownBy(() -> log.read(5, 100)).isInstanceOf(OffsetOutOfRangeException.class);
            assertThat(log.read(6, 100).firstOffset()).isEqualTo(6);
        }
    }

    @Test
    void shouldNeverDeleteTheActiveSegment() {
        try (Log log = open(Map.of("retention.ms", "1000"))) {
            fill(log, clock, 5, 1);
            clock.advance(1_000_000);
            log.retention();
            assertThat(log.numberOfSegments()).isEqualTo(1);
            assertThat(log.logEndOffset()).isEqualTo(5);
            assertThat(log.logStartOffset()).isEqualTo(4);
        }
    }

    @Test
    void shouldDeleteOldestSegmentsBeyondRetentionBytes() {
        try (Log log = open(Map.of("retention.ms", "-1", "retention.bytes", "5000"))) {
            fill(log, clock, 12, 1);
            long sizeBefore = log.size();
            RetentionResult r = log.retention();
            assertThat(r.reason()).isEqualTo(RetentionPolicy.Reason.SIZE);
            assertThat(log.size()).isLessThanOrEqualTo(sizeBefore);
            // what is left is above the limit only by less than one segment
            long oldest = log.segments().get(0).size();
            assertThat(log.size()).isGreaterThanOrEqualTo(5000 - 0);
            assertThat(log.size() - oldest).isLessThan(5000);
        }
    }

    @Test
    void shouldForgetTheMaxTimestampOfASegmentRetentionDeleted() {
        try (Log log = open(Map.of("retention.ms", "-1"))) {
            log.append(batch(Codec.NONE, 1, 10, 9_000_000L)); // a clock set ahead, then put back
            log.roll();
            log.append(batch(Codec.NONE, 1, 10, 5_000L));
            log.roll();
            assertThat(log.maxTimestamp()).isEqualTo(new TimestampOffset(9_000_000L, 0));
            log.deleteRecordsBefore(1);
            assertThat(log.retention().segmentsDeleted()).isEqualTo(1);
            assertThat(log.maxTimestamp()).isEqualTo(new TimestampOffset(5_000L, 1));
        }
    }

    @Test
    void shouldDeleteSegmentsBelowTheLogStartOffset() {
        try (Log log = open(Map.of("retention.ms", "-1"))) {
            fill(log, clock, 12, 1);
            List<LogSegment> segs = log.segments();
            long thirdBase = segs.get(2).baseOffset();
            log.deleteRecordsBefore(thirdBase + 1);
            RetentionResult r = log.retention();
            assertThat(r.reason()).isEqualTo(RetentionPolicy.Reason.LOG_START_OFFSET);
            assertThat(r.segmentsDeleted()).isEqualTo(2);
            assertThat(log.segments().get(0).baseOffset()).isEqualTo(thirdBase);
            assertThat(log.logStartOffset())
                    .as("not moved back to the segment base")
                    .isEqualTo(thirdBase + 1);
        }
    }

    @Test
    void shouldRenameToDeletedAndRemoveFilesOnlyAfterFileDeleteDelay() throws Exception {
        try (Log log = open(Map.of("retention.ms", "-1"))) {
            fill(log, clock, 8, 1);
            FileRegion inFlight = log.read(0, 100); // a transfer that started before retention
            log.deleteRecordsBefore(log.segments().get(1).baseOffset());
            RetentionResult r = log.retention();
            assertThat(r.segmentsDeleted()).isEqualTo(1);
            assertThat(r.filesRemoved()).isZero();
            Path dir = log.dir();
            assertThat(filesNamed(dir, ".log.deleted")).isEqualTo(1);
            assertThat(filesNamed(dir, ".index.deleted")).isEqualTo(1);
            assertThat(filesNamed(dir, ".timeindex.deleted")).isEqualTo(1);
            assertThat(Files.exists(dir.resolve("00000000000000000000.log"))).isFalse();
            // the in-flight region still reads whole, valid bytes
            assertThat(batchesIn(readRegion(inFlight)).get(0).isValid()).isTrue();

            clock.advance(59_999);
            assertThat(log.removeDeletedFiles()).isZero();
            assertThat(filesNamed(dir, ".deleted")).isEqualTo(3);
            clock.advance(1);
            assertThat(log.retention().filesRemoved()).isEqualTo(1);
            assertThat(filesNamed(dir, ".deleted")).isZero();
        }
    }

    @Test
    void shouldRemoveLeftoverDeletedFilesOnOpen() throws Exception {
        Path dir;
        try (Log log = open(Map.of("retention.ms", "-1"))) {
            fill(log, clock, 8, 1);
            log.deleteRecordsBefore(log.segments().get(1).baseOffset());
            log.deleteExpiredSegments();
            dir = log.dir();
            assertThat(filesNamed(dir, ".deleted")).isEqualTo(3);
            // copy the renamed files aside so close() (which removes pending deletes) leaves one behind
            try (var s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".deleted")).toList()) {
                    Files.copy(
                            p,
                            p.resolveSibling("00000000000000099999.log.deleted"),
                            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        assertThat(filesNamed(dir, ".deleted")).isEqualTo(1);
        try (Log log = open(Map.of())) {
            assertThat(filesNamed(dir, ".deleted")).isZero();
            assertThat(log.logStartOffset()).isEqualTo(log.segments().get(0).baseOffset());
        }
    }
}
