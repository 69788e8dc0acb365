package dev.tributary.log;

import static dev.tributary.log.LogTestSupport.assertIndexesConsistent;
import static dev.tributary.log.LogTestSupport.batch;
import static dev.tributary.log.LogTestSupport.batchesIn;
import static dev.tributary.log.LogTestSupport.readRegion;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.LogSegment;
import dev.tributary.log.segment.SegmentFiles;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery is a feature: torn tails, flipped bytes and broken indexes, against what was acknowledged. */
class LogRecoveryTest {
    static final Map<String, String> CFG =
            Map.of("segment.bytes", "6000", "index.interval.bytes", "700", "segment.index.bytes", "4096");

    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);

    private LogConfig cfg() {
        return LogConfig.fromMap(CFG);
    }

    /** Writes a multi-segment log with mixed codecs and returns the end offset; leaves it closed. */
    private long writeLog(Path dir, int batches) {
        try (Log log = Log.open(dir, cfg(), clock)) {
            Codec[] codecs = Codec.values();
            for (int i = 0; i < batches; i++) {
                log.append(batch(codecs[i % codecs.length], 1 + i % 4, 40 + (i * 37) % 300, 10L * i));
            }
            assertThat(log.numberOfSegments()).isGreaterThan(1);
            return log.logEndOffset();
        }
    }

    private static void assertAllBatchesValidAndContiguous(Log log) {
        long expected = log.logStartOffset();
        Iterator<RecordBatch> it = log.batches(log.logStartOffset());
        while (it.hasNext()) {
            RecordBatch b = it.next();
            assertThat(b.isValid()).isTrue();
            assertThat(b.baseOffset()).isEqualTo(expected);
            expected = b.lastOffset() + 1;
        }
        assertThat(expected).isEqualTo(log.logEndOffset());
    }

    @Test
    void shouldRecoverToLastWholeBatchWhenActiveSegmentIsCutAtEveryByteOfItsLastBatch() throws Exception {
        Path dir = tmp.resolve("cut-0");
        writeLog(dir, 40);
        long activeBase;
        int lastBatchPos;
        long lastBatchBase;
        byte[] original;
        try (Log log = Log.open(dir, cfg(), clock, true)) {
            LogSegment active = log.segments().get(log.numberOfSegments() - 1);
            activeBase = active.baseOffset();
            Iterator<dev.tributary.log.segment.FileBatches.FileBatch> it = active.batchesFrom(0);
            dev.tributary.log.segment.FileBatches.FileBatch last = null;
            while (it.hasNext()) {
                last = it.next();
            }
            lastBatchPos = last.position();
            lastBatchBase = last.batch().baseOffset();
            assertThat(lastBatchPos)
                    .as("the active segment has more than one batch")
                    .isPositive();
        }
        Path logFile = SegmentFiles.logFile(dir, activeBase);
        original = Files.readAllBytes(logFile);
        int cuts = 0;
        for (int cut = lastBatchPos; cut < original.length; cut++) {
            try (FileChannel ch =
                    FileChannel.open(logFile, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(original, 0, cut));
            }
            Files.deleteIfExists(dir.resolve(LogStateCheckpoint.FILE_NAME)); // crash before any checkpoint
            try (Log log = Log.open(dir, cfg(), clock, false)) {
                assertThat(log.logEndOffset()).as("cut at %d", cut).isEqualTo(lastBatchBase);
                LogSegment active = log.segments().get(log.numberOfSegments() - 1);
                assertThat(active.size()).isEqualTo(lastBatchPos);
                assertThat(Files.size(logFile)).isEqualTo(lastBatchPos);
                assertIndexesConsistent(log);
                assertAllBatchesValidAndContiguous(log);
                // the log takes appends again at the recovered end
                assertThat(log.append(batch(Codec.NONE, 1, 5, 1L)).firstOffset())
                        .isEqualTo(lastBatchBase);
            }
            cuts++;
        }
        assertThat(cuts).isEqualTo(original.length - lastBatchPos);
    }

    @Test
    void shouldNeverReadBadCrcBatchAfterRandomByteFlips() throws Exception {
        long seed = System.nanoTime();
        System.out.println("shouldNeverReadBadCrcBatchAfterRandomByteFlips seed " + seed);
        Random rnd = new Random(seed);
        Path dir = tmp.resolve("flip-0");
        long end = writeLog(dir, 60);
        Map<Path, byte[]> originals = new HashMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                originals.put(f, Files.readAllBytes(f));
            }
        }
        List<Path> logs = originals.keySet().stream()
                .filter(p -> p.toString().endsWith(".log"))
                .sorted()
                .toList();
        for (int trial = 0; trial < Integer.getInteger("flip.trials", 25); trial++) {
            // restore, then flip 1-5 bytes anywhere in the .log files
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            for (Map.Entry<Path, byte[]> e : originals.entrySet()) {
                Files.write(e.getKey(), e.getValue());
            }
            int flips = 1 + rnd.nextInt(5);
            for (int f = 0; f < flips; f++) {
                Path target = logs.get(rnd.nextInt(logs.size()));
                byte[] bytes = Files.readAllBytes(target);
                int pos = rnd.nextInt(bytes.length);
                bytes[pos] ^= (byte) (1 << rnd.nextInt(8));
                Files.write(target, bytes);
            }
            Files.deleteIfExists(dir.resolve(LogStateCheckpoint.FILE_NAME));
            try (Log log = Log.open(dir, cfg(), clock, false)) {
                assertThat(log.logEndOffset())
                        .as("seed %d trial %d", seed, trial)
                        .isLessThanOrEqualTo(end);
                assertIndexesConsistent(log);
                assertAllBatchesValidAndContiguous(log);
                for (long off = log.logStartOffset(); off < log.logEndOffset(); off += 3) {
                    for (RecordBatch b : batchesIn(readRegion(log.read(off, 4096)))) {
                        assertThat(b.isValid())
                                .as("seed %d trial %d offset %d", seed, trial, off)
                                .isTrue();
                        b.records(); // decodes
                    }
                }
            }
        }
    }

    @Test
    void shouldRebuildDeletedTruncatedAndGarbageIndexFiles() throws Exception {
        Path dir = tmp.resolve("idx-0");
        writeLog(dir, 150);
        Map<Path, byte[]> indexes = new HashMap<>();
        List<Long> bases = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.endsWith(".index") || n.endsWith(".timeindex")) {
                    indexes.put(f, Files.readAllBytes(f));
                }
                if (n.endsWith(".log")) {
                    bases.add(SegmentFiles.baseOffsetOf(n));
                }
            }
        }
        bases.sort(null);
        assertThat(bases.size()).isGreaterThanOrEqualTo(4);
        long seed = System.nanoTime();
        System.out.println("shouldRebuildDeletedTruncatedAndGarbageIndexFiles seed " + seed);
        Random rnd = new Random(seed);
        Files.delete(SegmentFiles.offsetIndexFile(dir, bases.get(0)));
        Files.delete(SegmentFiles.timeIndexFile(dir, bases.get(1)));
        byte[] garbage = new byte[indexes.get(SegmentFiles.offsetIndexFile(dir, bases.get(2))).length + 16];
        rnd.nextBytes(garbage);
        Files.write(SegmentFiles.offsetIndexFile(dir, bases.get(2)), garbage);
        byte[] tgarbage = new byte[36];
        rnd.nextBytes(tgarbage);
        Files.write(SegmentFiles.timeIndexFile(dir, bases.get(2)), tgarbage);
        byte[] half = indexes.get(SegmentFiles.offsetIndexFile(dir, bases.get(3)));
        Files.write(
                SegmentFiles.offsetIndexFile(dir, bases.get(3)), java.util.Arrays.copyOf(half, half.length / 16 * 8));

        try (Log log = Log.open(dir, cfg(), clock, true)) {
            assertIndexesConsistent(log);
            assertAllBatchesValidAndContiguous(log);
        }
        for (Map.Entry<Path, byte[]> e : indexes.entrySet()) {
            assertThat(Files.readAllBytes(e.getKey()))
                    .as("rebuilt %s", e.getKey().getFileName())
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void shouldRecoverFromPreallocatedIndexesLeftByACrash() throws Exception {
        Path dir = tmp.resolve("crash-0");
        long end;
        Log log = Log.open(dir, cfg(), clock);
        for (int i = 0; i < 30; i++) {
            log.append(batch(Codec.NONE, 2, 100, i));
        }
        end = log.logEndOffset();
        // no close: the active segment's indexes stay preallocated and unflushed, as after kill -9
        try (Log reopened = Log.open(dir, cfg(), clock, false)) {
            assertThat(reopened.logEndOffset()).isEqualTo(end);
            assertIndexesConsistent(reopened);
            assertAllBatchesValidAndContiguous(reopened);
        }
    }

    @Test
    void shouldUseCleanShutdownMarkerInLogManager() throws Exception {
        Path data = tmp.resolve("data");
        LogManager m = LogManager.open(data, cfg(), clock);
        Log a = m.getOrCreate("orders", 0, cfg());
        Log b = m.getOrCreate("my-topic", 12, cfg());
        a.append(batch(Codec.NONE, 3, 10, 1L));
        b.append(batch(Codec.GZIP, 4, 10, 1L));
        m.close();
        assertThat(Files.exists(data.resolve(LogManager.CLEAN_SHUTDOWN_FILE))).isTrue();

        LogManager m2 = LogManager.open(data, cfg(), clock);
        assertThat(Files.exists(data.resolve(LogManager.CLEAN_SHUTDOWN_FILE)))
                .as("removed while running")
                .isFalse();
        assertThat(m2.all()).hasSize(2);
        assertThat(m2.get("my-topic", 12).orElseThrow().logEndOffset()).isEqualTo(4);
        Log a2 = m2.get("orders", 0).orElseThrow();
        assertThat(a2.logEndOffset()).isEqualTo(3);
        a2.append(batch(Codec.NONE, 2, 10, 1L));
        // simulate kill -9: no close; cut the last batch in half
        Path active = a2.segments().get(0).logFile();
        long size = Files.size(active);
        try (FileChannel ch = FileChannel.open(active, StandardOpenOption.WRITE)) {
            ch.truncate(size - 10);
        }
        LogManager m3 = LogManager.open(data, cfg(), clock);
        assertThat(m3.get("orders", 0).orElseThrow().logEndOffset()).isEqualTo(3);
        assertThat(m3.delete("orders", 0)).isTrue();
        assertThat(Files.exists(data.resolve("orders-0"))).isFalse();
        m3.close();
        // m2 stands for the killed process: its logs are abandoned, not closed
    }
}
