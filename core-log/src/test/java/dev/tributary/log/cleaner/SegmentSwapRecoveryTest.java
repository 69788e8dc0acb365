package dev.tributary.log.cleaner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.log.FileRegion;
import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.LogManager;
import dev.tributary.log.LogTestSupport;
import dev.tributary.log.MutableClock;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.record.RecordBatchBuilder;
import dev.tributary.log.segment.SegmentFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash injected after each step of the swap protocol, then a restart on the same files, recovers a log equal to
 * the state before cleaning (crash before the commit) or after it (crash after the commit).
 */
class SegmentSwapRecoveryTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_700_000_000_000L);

    static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(SegmentSwap.Step step) {
            super("simulated crash after " + step);
        }
    }

    static final LogConfig CONFIG = LogConfig.fromMap(Map.of(
            "cleanup.policy",
            "compact",
            "segment.bytes",
            "1048576",
            "segment.index.bytes",
            "8192",
            "index.interval.bytes",
            "256",
            "delete.retention.ms",
            "1000"));
    /**
     * What a broker opens every log with before applying topic configs: not compact, so recovery must learn from
     * the directory itself that offsets may have gaps.
     */
    static final LogConfig BROKER_DEFAULTS = CONFIG.withOverrides(Map.of("cleanup.policy", "delete"));

    /** Six rolled segments of 40 keys with many versions and some tombstones, plus an active segment. */
    private void writeLog(Path dataDir) {
        try (LogManager m = LogManager.open(dataDir, CONFIG, clock)) {
            Log log = m.getOrCreate("t", 0, CONFIG);
            int n = 0;
            for (int seg = 0; seg < 7; seg++) {
                for (int b = 0; b < 10; b++) {
                    RecordBatchBuilder builder = RecordBatchBuilder.create(b % 2 == 0 ? Codec.NONE : Codec.ZSTD)
                            .producer(7, (short) 0, n);
                    for (int r = 0; r < 5; r++, n++) {
                        byte[] value = n % 17 == 0 ? null : ("value-" + n).getBytes(StandardCharsets.UTF_8);
                        builder.append(clock.millis(), ("k" + (n % 40)).getBytes(StandardCharsets.UTF_8), value);
                    }
                    log.append(builder.build());
                }
                log.roll();
            }
        }
    }

    private static void copyDir(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** The topic's config is the broker's to keep; after a reopen it is applied again, as the broker does. */
    private static Log opened(LogManager m) {
        Log log = m.get("t", 0).orElseThrow();
        log.updateConfig(CONFIG);
        return log;
    }

    private LogCleaner cleaner(LogManager m) {
        return new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 20), List.of(m), clock);
    }

    private static long tempFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(SegmentFiles.CLEANED_SUFFIX)
                            || n.endsWith(SegmentFiles.SWAP_SUFFIX)
                            || n.endsWith(SegmentFiles.DELETED_SUFFIX))
                    .count();
        }
    }

    static Stream<Arguments> crashPoints() {
        return Stream.of(
                Arguments.of(SegmentSwap.Step.CLEANED_WRITTEN, 1, false),
                Arguments.of(SegmentSwap.Step.LOG_SWAP_RENAMED, 1, true),
                Arguments.of(SegmentSwap.Step.INDEXES_SWAP_RENAMED, 1, true),
                Arguments.of(SegmentSwap.Step.OLD_SEGMENT_DELETED, 1, true),
                Arguments.of(SegmentSwap.Step.OLD_SEGMENT_DELETED, 4, true),
                Arguments.of(SegmentSwap.Step.OLD_SEGMENT_DELETED, 7, true),
                Arguments.of(SegmentSwap.Step.LOG_RENAMED, 1, true),
                Arguments.of(SegmentSwap.Step.INDEXES_RENAMED, 1, true));
    }

    @ParameterizedTest(name = "crash after {0} #{1} recovers to after-cleaning={2}")
    @MethodSource("crashPoints")
    void shouldRecoverToTheStateBeforeOrAfterCleaningAfterACrashAtEachSwapStep(
            SegmentSwap.Step step, int occurrence, boolean expectAfter) throws Exception {
        Path crashed = tmp.resolve("crashed");
        Path reference = tmp.resolve("reference");
        writeLog(crashed);
        copyDir(crashed, reference);

        String before;
        String after;
        try (LogManager m = LogManager.open(reference, CONFIG, clock)) {
            Log log = opened(m);
            before = CleanerTestSupport.render(log);
            assertThat(cleaner(m).cleanAll()).hasSize(1);
            after = CleanerTestSupport.render(log);
            assertThat(log.numberOfSegments())
                    .as("the seven rolled segments merge into one group")
                    .isEqualTo(2);
        }
        assertThat(after).isNotEqualTo(before);

        LogManager doomed = LogManager.open(crashed, BROKER_DEFAULTS, clock);
        opened(doomed);
        LogCleaner c = cleaner(doomed);
        int[] seen = {0};
        c.faultInjector(s -> {
            if (s == step && ++seen[0] == occurrence) {
                throw new SimulatedCrash(s);
            }
        });
        assertThatThrownBy(c::cleanOnce).isInstanceOf(SimulatedCrash.class);
        // the process "dies": the doomed manager is never closed, so no clean-shutdown marker is written

        try (LogManager m = LogManager.open(crashed, BROKER_DEFAULTS, clock)) {
            Log log = opened(m);
            String recovered = CleanerTestSupport.render(log);
            assertThat(recovered)
                    .as("recovered state after a crash after %s #%d", step, occurrence)
                    .isEqualTo(expectAfter ? after : before);
            assertThat(tempFiles(log.dir()))
                    .as("no .cleaned, .swap or .deleted file survives recovery")
                    .isZero();
            LogTestSupport.assertIndexesConsistent(log);
            // and the recovered log keeps working: append, read, clean again
            log.append(RecordBatchBuilder.create(Codec.NONE)
                    .append(
                            clock.millis(),
                            "k1".getBytes(StandardCharsets.UTF_8),
                            "new".getBytes(StandardCharsets.UTF_8))
                    .build());
            assertThat(log.read(log.logEndOffset() - 1, 1000).length()).isPositive();
        }
    }

    @Test
    void shouldLetAReadInFlightFinishOnTheOldFilesAfterTheSwap() throws Exception {
        Path dir = tmp.resolve("data");
        writeLog(dir);
        try (LogManager m = LogManager.open(dir, CONFIG, clock)) {
            Log log = opened(m);
            FileRegion inFlight = log.read(0, 100_000);
            List<CleanerTestSupport.Rec> before = CleanerTestSupport.records(log);
            assertThat(cleaner(m).cleanAll()).hasSize(1);
            ByteBuffer bytes = LogTestSupport.readRegion(inFlight);
            List<RecordBatch> old = LogTestSupport.batchesIn(bytes);
            assertThat(old).allMatch(RecordBatch::isValid);
            assertThat(old.get(0).baseOffset()).isZero();
            assertThat(old.stream().mapToInt(RecordBatch::recordCount).sum())
                    .as("the region still shows the uncleaned records")
                    .isEqualTo((int) old.get(old.size() - 1).nextOffset());
            assertThat(CleanerTestSupport.records(log).size()).isLessThan(before.size());
            try (Stream<Path> s = Files.list(log.dir())) {
                assertThat(s.filter(p -> p.toString().endsWith(SegmentFiles.DELETED_SUFFIX))
                                .count())
                        .as("old segments wait for file.delete.delay.ms")
                        .isPositive();
            }
            clock.advance(log.config().fileDeleteDelayMs());
            assertThat(log.removeDeletedFiles()).isEqualTo(7);
            assertThat(tempFiles(log.dir())).isZero();
        }
    }
}
