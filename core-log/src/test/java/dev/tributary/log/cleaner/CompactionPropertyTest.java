package dev.tributary.log.cleaner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.LogManager;
import dev.tributary.log.LogTestSupport;
import dev.tributary.log.MutableClock;
import dev.tributary.log.RetentionPolicy;
import dev.tributary.log.cleaner.CleanerTestSupport.BatchInfo;
import dev.tributary.log.cleaner.CleanerTestSupport.Rec;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatchBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random workloads (keys, values, tombstones, keyless records, several idempotent producers and a plain one, every
 * codec) cleaned for real on files; each run prints its seed, and {@code -Dcompaction.seed=N} replays one.
 */
class CompactionPropertyTest {
    static final long DELETE_RETENTION_MS = 60_000;

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_700_000_000_000L);

    /** The workload generator: appends random batches and remembers the producers' sequences. */
    static final class Workload {
        final Random rnd;
        final int keySpace;
        final long[] producerIds = {1000, 1001, 1002, -1};
        final int[] sequences = new int[producerIds.length];
        static final Codec[] CODECS = Codec.values();

        Workload(long seed, int keySpace) {
            this.rnd = new Random(seed);
            this.keySpace = keySpace;
        }

        void append(Log log, MutableClock clock, int batches, boolean keyless) {
            for (int i = 0; i < batches; i++) {
                int p = rnd.nextInt(producerIds.length);
                RecordBatchBuilder b = RecordBatchBuilder.create(CODECS[rnd.nextInt(CODECS.length)]);
                int n = 1 + rnd.nextInt(8);
                if (producerIds[p] >= 0) {
                    b.producer(producerIds[p], (short) 3, sequences[p]);
                    sequences[p] += n;
                }
                boolean hasKeyless = false;
                for (int r = 0; r < n; r++) {
                    String key = keyless && rnd.nextInt(50) == 0 ? null : "key-" + rnd.nextInt(keySpace);
                    hasKeyless |= key == null;
                    byte[] value = rnd.nextInt(8) == 0
                            ? null
                            : ("v" + rnd.nextInt(1_000_000) + "x".repeat(rnd.nextInt(40)))
                                    .getBytes(StandardCharsets.UTF_8);
                    b.append(clock.millis(), key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
                }
                if (hasKeyless) {
                    // a compacted log refuses keyless records; they get in while the topic was still "delete"
                    LogConfig compacted = log.config();
                    log.updateConfig(compacted.withOverrides(Map.of("cleanup.policy", "delete")));
                    log.append(b.build());
                    log.updateConfig(compacted);
                } else {
                    log.append(b.build());
                }
                clock.advance(1 + rnd.nextInt(5));
                if (rnd.nextInt(25) == 0) {
                    log.roll();
                }
            }
        }
    }

    private static long seed(String name) {
        String fixed = System.getProperty("compaction.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : System.nanoTime();
        System.out.println(name + " seed=" + seed);
        return seed;
    }

    private LogCleaner cleaner(LogManager m, long dedupeBytes) {
        return new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(dedupeBytes), List.of(m), clock);
    }

    private static LogConfig config(String policy) {
        // a low dirty ratio so every run with new segments cleans (the ratio rule has its own tests)
        return LogConfig.fromMap(Map.of(
                "cleanup.policy",
                policy,
                "segment.bytes",
                "8192",
                "delete.retention.ms",
                Long.toString(DELETE_RETENTION_MS),
                "index.interval.bytes",
                "512",
                "min.cleanable.dirty.ratio",
                "0.01",
                "segment.index.bytes",
                "8192"));
    }

    /** The latest record of each key among {@code before} below {@code end}, keyless records skipped. */
    private static Map<String, Rec> latestBelow(List<Rec> before, long end) {
        Map<String, Rec> latest = new LinkedHashMap<>();
        for (Rec r : before) {
            if (r.offset() < end && r.key() != null) {
                latest.put(r.key(), r);
            }
        }
        return latest;
    }

    /** The properties every cleaning must have, given the log before and after and the cleaning point. */
    private static void assertCompacted(List<Rec> before, List<Rec> after, long cleaningPoint, long seed) {
        String ctx = "seed " + seed + ", cleaning point " + cleaningPoint;
        for (int i = 1; i < after.size(); i++) {
            assertThat(after.get(i).offset())
                    .as("offsets strictly increase (%s)", ctx)
                    .isGreaterThan(after.get(i - 1).offset());
        }
        Map<Long, Rec> afterByOffset = new HashMap<>();
        for (Rec r : after) {
            afterByOffset.put(r.offset(), r);
        }
        for (Rec r : before) {
            if (r.offset() >= cleaningPoint) {
                assertThat(afterByOffset.get(r.offset()))
                        .as("record at/above the cleaning point kept (%s)", ctx)
                        .isEqualTo(r);
            }
        }
        Map<String, Rec> latest = latestBelow(before, cleaningPoint);
        for (Rec r : latest.values()) {
            if (!r.tombstone()) {
                assertThat(afterByOffset.get(r.offset()))
                        .as("latest value of %s at its original offset (%s)", r.key(), ctx)
                        .isEqualTo(r);
            }
        }
        for (Rec r : after) {
            if (r.offset() < cleaningPoint) {
                assertThat(r.key()).as("keyless record removed (%s)", ctx).isNotNull();
                assertThat(latest.get(r.key()))
                        .as("only the latest record of %s stays (%s)", r.key(), ctx)
                        .isEqualTo(r);
            }
        }
    }

    /** Each producer's last batch keeps its last offset, epoch and last sequence. */
    private static void assertProducerStateKept(List<BatchInfo> before, List<BatchInfo> after, long seed) {
        Map<Long, BatchInfo> lastBefore = new HashMap<>();
        before.stream().filter(b -> b.producerId() >= 0).forEach(b -> lastBefore.put(b.producerId(), b));
        Map<Long, BatchInfo> lastAfter = new HashMap<>();
        after.stream().filter(b -> b.producerId() >= 0).forEach(b -> lastAfter.put(b.producerId(), b));
        for (Map.Entry<Long, BatchInfo> e : lastBefore.entrySet()) {
            BatchInfo a = lastAfter.get(e.getKey());
            assertThat(a)
                    .as("producer %d still has its last batch (seed %d)", e.getKey(), seed)
                    .isNotNull();
            assertThat(a.lastOffset()).isEqualTo(e.getValue().lastOffset());
            assertThat(a.lastSequence()).isEqualTo(e.getValue().lastSequence());
            assertThat(a.epoch()).isEqualTo(e.getValue().epoch());
        }
    }

    @RepeatedTest(4)
    void shouldKeepLatestValuesAtOriginalOffsetsAndProducerStateOnRandomWorkloads() throws Exception {
        long seed = seed("randomWorkload");
        Workload w = new Workload(seed, 20 + new Random(seed).nextInt(300));
        try (LogManager m = LogManager.open(tmp.resolve("data"), LogConfig.defaults(), clock)) {
            Log log = m.getOrCreate("t", 0, config("compact"));
            w.append(log, clock, 400, true);
            log.roll();
            List<Rec> before = CleanerTestSupport.records(log);
            List<BatchInfo> batchesBefore = CleanerTestSupport.batches(log);
            int segmentsBefore = log.numberOfSegments();
            List<CleanerStats> runs = cleaner(m, 4L << 20).cleanAll();
            assertThat(runs).as("seed %d", seed).hasSize(1);
            CleanerStats s = runs.get(0);
            assertThat(s.endOffset())
                    .isEqualTo(log.segments().get(log.numberOfSegments() - 1).baseOffset());
            List<Rec> after = CleanerTestSupport.records(log);
            assertCompacted(before, after, s.endOffset(), seed);
            assertProducerStateKept(batchesBefore, CleanerTestSupport.batches(log), seed);
            assertThat(s.recordsRemoved()).isEqualTo(before.size() - after.size());
            assertThat(log.numberOfSegments())
                    .as("small cleaned segments merged")
                    .isLessThan(segmentsBefore);
            assertThat(log.logEndOffset())
                    .isEqualTo(before.get(before.size() - 1).offset() + 1);
            LogTestSupport.assertIndexesConsistent(log);

            // more writes on top; the second run uses the checkpoint and keeps every property
            w.append(log, clock, 200, true);
            log.roll();
            List<Rec> before2 = CleanerTestSupport.records(log);
            assertThat(m.dataDir().resolve(CleanerOffsetCheckpoint.FILE_NAME)).exists();
            List<CleanerStats> runs2 = cleaner(m, 4L << 20).cleanAll();
            assertThat(runs2).hasSize(1);
            assertThat(runs2.get(0).firstDirtyOffset())
                    .as("resumed from the checkpoint")
                    .isEqualTo(s.endOffset());
            assertCompacted(
                    before2, CleanerTestSupport.records(log), runs2.get(0).endOffset(), seed);
        }
        // and the cleaned log reopens to the same content
    }

    @Test
    void shouldCleanInSeveralRunsWhenTheOffsetMapIsSmallerThanTheDirtyKeys() throws Exception {
        long seed = seed("smallMap");
        Workload w = new Workload(seed, 400);
        try (LogManager m = LogManager.open(tmp.resolve("data"), LogConfig.defaults(), clock)) {
            Log log = m.getOrCreate("t", 0, config("compact"));
            w.append(log, clock, 200, false);
            log.roll();
            List<Rec> before = CleanerTestSupport.records(log);
            // 200 slots * 0.9 = 180 records per run, fewer than the ~900 records
            List<CleanerStats> runs = cleaner(m, 200L * OffsetMap.SLOT_SIZE).cleanAll();
            assertThat(runs.size()).as("seed %d", seed).isGreaterThan(1);
            for (int i = 1; i < runs.size(); i++) {
                assertThat(runs.get(i).firstDirtyOffset())
                        .isEqualTo(runs.get(i - 1).endOffset());
            }
            long end = runs.get(runs.size() - 1).endOffset();
            assertThat(end)
                    .isEqualTo(log.segments().get(log.numberOfSegments() - 1).baseOffset());
            assertCompacted(before, CleanerTestSupport.records(log), end, seed);
        }
    }

    @Test
    void shouldCleanARecreatedTopicFromItsStartDespiteTheOldCheckpoint() throws Exception {
        long seed = seed("recreated");
        try (LogManager m = LogManager.open(tmp.resolve("data"), LogConfig.defaults(), clock)) {
            LogCleaner cleaner = cleaner(m, 4L << 20);
            Log first = m.getOrCreate("t", 0, config("compact"));
            new Workload(seed, 50).append(first, clock, 60, false);
            first.roll();
            long oldCheckpoint = cleaner.cleanAll().get(0).endOffset();
            assertThat(m.delete("t", 0)).isTrue();
            Log second = m.getOrCreate("t", 0, config("compact"));
            new Workload(seed + 1, 20).append(second, clock, 300, false);
            second.roll();
            // past the old checkpoint, so only the cleaner's memory of which log it cleaned can tell it is stale
            assertThat(second.logEndOffset()).as("seed %d", seed).isGreaterThan(oldCheckpoint);
            List<Rec> before = CleanerTestSupport.records(second);
            List<CleanerStats> runs = cleaner.cleanAll();
            assertThat(runs).hasSize(1);
            assertThat(runs.get(0).firstDirtyOffset()).isZero();
            assertCompacted(
                    before, CleanerTestSupport.records(second), runs.get(0).endOffset(), seed);
        }
    }

    @Test
    void shouldRemoveTombstonesOnlyAfterDeleteRetentionMsFromTheirFirstCleaning() throws Exception {
        long seed = seed("tombstones");
        Workload w = new Workload(seed, 60);
        try (LogManager m = LogManager.open(tmp.resolve("data"), LogConfig.defaults(), clock)) {
            Log log = m.getOrCreate("t", 0, config("compact"));
            w.append(log, clock, 300, false);
            log.roll();
            List<Rec> before = CleanerTestSupport.records(log);
            LogCleaner cleaner = cleaner(m, 4L << 20);
            long firstCleaning = clock.millis();
            long end = cleaner.cleanAll().get(0).endOffset();
            List<Rec> tombstones = latestBelow(before, end).values().stream()
                    .filter(Rec::tombstone)
                    .toList();
            assertThat(tombstones)
                    .as("seed %d: the workload leaves some keys deleted", seed)
                    .isNotEmpty();
            assertThat(CleanerTestSupport.records(log))
                    .as("tombstones stay after the first cleaning")
                    .containsAll(tombstones);
            assertThat(CleanerTestSupport.batches(log))
                    .as("batches keeping tombstones carry a delete horizon")
                    .anyMatch(BatchInfo::deleteHorizon);

            // one ms before the horizon: another cleaning (of new, unrelated keys) keeps them
            clock.set(firstCleaning + DELETE_RETENTION_MS - 1);
            appendUnrelatedAndRoll(log);
            assertThat(cleaner.cleanAll()).hasSize(1);
            assertThat(CleanerTestSupport.records(log)).containsAll(tombstones);

            // at the horizon: the next cleaning removes them, and their keys are gone entirely
            clock.set(firstCleaning + DELETE_RETENTION_MS);
            appendUnrelatedAndRoll(log);
            CleanerStats s = cleaner.cleanAll().get(0);
            assertThat(s.tombstonesRemoved()).isEqualTo(tombstones.size());
            List<Rec> after = CleanerTestSupport.records(log);
            for (Rec t : tombstones) {
                assertThat(after)
                        .as("seed %d: key %s deleted", seed, t.key())
                        .noneMatch(r -> t.key().equals(r.key()));
            }
            for (Rec r : latestBelow(before, end).values()) {
                if (!r.tombstone()) {
                    assertThat(after).as("seed %d", seed).contains(r);
                }
            }
        }
    }

    private void appendUnrelatedAndRoll(Log log) {
        for (int i = 0; i < 30; i++) {
            log.append(RecordBatchBuilder.create(Codec.NONE)
                    .append(clock.millis(), ("other-" + i).getBytes(StandardCharsets.UTF_8), new byte[100])
                    .build());
        }
        log.roll();
    }

    @Test
    void shouldApplyTimeAndSizeRetentionAsWellUnderCompactDelete() throws Exception {
        long seed = seed("compactDelete");
        Workload w = new Workload(seed, 50);
        Map<String, String> cfg = new HashMap<>(config("compact,delete").toMap());
        cfg.put("retention.ms", "100000");
        Map<String, String> compactOnly = new HashMap<>(cfg);
        compactOnly.put("cleanup.policy", "compact");
        try (LogManager m = LogManager.open(tmp.resolve("data"), LogConfig.defaults(), clock)) {
            Log both = m.getOrCreate("both", 0, LogConfig.fromMap(cfg));
            Log compact = m.getOrCreate("compact", 0, LogConfig.fromMap(compactOnly));
            for (Log log : List.of(both, compact)) {
                w.append(log, clock, 100, false);
                log.roll();
            }
            LogCleaner cleaner = cleaner(m, 4L << 20);
            assertThat(cleaner.cleanAll()).hasSize(2);
            long oldEnd = both.logEndOffset();
            clock.advance(200_000); // everything so far is older than retention.ms
            for (Log log : List.of(both, compact)) {
                w.append(log, clock, 100, false);
                log.roll();
            }
            assertThat(both.retention().reason())
                    .as("time retention under compact,delete")
                    .isEqualTo(RetentionPolicy.Reason.TIME);
            assertThat(both.logStartOffset()).as("seed %d", seed).isEqualTo(oldEnd);
            assertThat(CleanerTestSupport.records(both)).allMatch(r -> r.offset() >= oldEnd);
            assertThat(compact.retention().segmentsDeleted())
                    .as("compact alone keeps old keys")
                    .isZero();
            assertThat(compact.logStartOffset()).isZero();
            List<Rec> compactBefore = CleanerTestSupport.records(compact);
            List<CleanerStats> runs = cleaner.cleanAll();
            assertThat(runs).hasSize(2);
            assertCompacted(
                    compactBefore,
                    CleanerTestSupport.records(compact),
                    runs.stream()
                            .filter(r -> r.log().equals("compact-0"))
                            .findFirst()
                            .orElseThrow()
                            .endOffset(),
                    seed);

            // size: cap the compact,delete log below its size; whole old segments go, the active one stays
            long size = both.size();
            both.updateConfig(both.config().withOverrides(Map.of("retention.bytes", Long.toString(size / 3))));
            int segs = both.numberOfSegments();
            assertThat(both.retention().reason()).isEqualTo(RetentionPolicy.Reason.SIZE);
            assertThat(both.numberOfSegments()).isLessThan(segs).isPositive();
            // retention.bytes drops the oldest segments while the rest still holds at least the limit
            assertThat(both.size()).isGreaterThanOrEqualTo(size / 3);
            assertThat(both.size() - both.segments().get(0).size()).isLessThan(size / 3);
        }
    }
}
