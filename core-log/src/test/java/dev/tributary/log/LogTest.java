package dev.tributary.log;

import static dev.tributary.log.LogTestSupport.assertIndexesConsistent;
import static dev.tributary.log.LogTestSupport.batch;
import static dev.tributary.log.LogTestSupport.batchesIn;
import static dev.tributary.log.LogTestSupport.concat;
import static dev.tributary.log.LogTestSupport.readRegion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.log.record.Codec;
import dev.tributary.log.record.Record;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.LogSegment;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);

    private Log open(Map<String, String> cfg) {
        return Log.open(tmp.resolve("t-0"), LogConfig.fromMap(cfg), clock);
    }

    @Test
    void shouldAssignOffsetsFromLogEndOffsetAndReadThemBack() throws Exception {
        try (Log log = open(Map.of())) {
            LogAppendInfo a = log.append(batch(Codec.NONE, 5, 20, 100L));
            LogAppendInfo b = log.append(concat(batch(Codec.GZIP, 3, 20, 200L), batch(Codec.LZ4, 2, 20, 300L)));
            assertThat(a.firstOffset()).isZero();
            assertThat(a.lastOffset()).isEqualTo(4);
            assertThat(a.recordCount()).isEqualTo(5);
            assertThat(a.logAppendTime()).isEqualTo(-1);
            assertThat(b.firstOffset()).isEqualTo(5);
            assertThat(b.lastOffset()).isEqualTo(9);
            assertThat(b.batchCount()).isEqualTo(2);
            assertThat(b.maxTimestamp()).isEqualTo(301L);
            assertThat(b.offsetOfMaxTimestamp()).isEqualTo(9);
            assertThat(log.logEndOffset()).isEqualTo(10);
            assertThat(log.maxTimestamp()).isEqualTo(new TimestampOffset(301L, 9));

            FileRegion r = log.read(6, 1 << 20);
            assertThat(r.firstOffset()).isEqualTo(5);
            List<RecordBatch> got = batchesIn(readRegion(r));
            assertThat(got).hasSize(2);
            assertThat(got.get(0).baseOffset()).isEqualTo(5);
            assertThat(got.get(1).baseOffset()).isEqualTo(8);
            assertThat(got).allMatch(RecordBatch::isValid);
            List<Long> offsets = new ArrayList<>();
            for (RecordBatch batch : got) {
                for (Record rec : batch) {
                    offsets.add(rec.offset());
                }
            }
            assertThat(offsets).containsExactly(5L, 6L, 7L, 8L, 9L);

            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            long n = r.transferFully(Channels.newChannel(sink));
            assertThat(n).isEqualTo(r.length());
            assertThat(ByteBuffer.wrap(sink.toByteArray())).isEqualTo(readRegion(r));
        }
    }

    @Test
    void shouldReturnAtLeastOneWholeBatchAndOnlyWholeBatches() throws Exception {
        try (Log log = open(Map.of())) {
            for (int i = 0; i < 5; i++) {
                log.append(batch(Codec.NONE, 2, 500, i));
            }
            int batchSize = log.read(0, 1).length();
            assertThat(batchSize).isGreaterThan(1000);
            assertThat(log.read(0, 1).length())
                    .as("one whole batch despite maxBytes=1")
                    .isEqualTo(batchSize);
            assertThat(log.read(0, 2 * batchSize + batchSize / 2).length()).isEqualTo(2 * batchSize);
            assertThat(log.read(3, 10 * batchSize).length()).isEqualTo(4 * batchSize);
        }
    }

    @Test
    void shouldFillRegionsWithAsManyWholeBatchesAsFitForAnyMaxBytes() throws Exception {
        long seed = System.nanoTime();
        System.out.println("shouldFillRegionsWithAsManyWholeBatchesAsFitForAnyMaxBytes seed " + seed);
        java.util.Random rnd = new java.util.Random(seed);
        try (Log log = open(Map.of("index.interval.bytes", "700", "segment.bytes", "200000"))) {
            List<long[]> batches = new ArrayList<>(); // base offset, size
            for (int i = 0; i < 150; i++) {
                ByteBuffer b = batch(Codec.NONE, 1 + rnd.nextInt(4), rnd.nextInt(600), i);
                int size = b.remaining();
                batches.add(new long[] {log.append(b).firstOffset(), size});
            }
            for (int trial = 0; trial < 300; trial++) {
                int first = rnd.nextInt(batches.size());
                int maxBytes = rnd.nextInt(20_000);
                long expected = batches.get(first)[1];
                for (int j = first + 1; j < batches.size() && expected + batches.get(j)[1] <= maxBytes; j++) {
                    expected += batches.get(j)[1];
                }
                FileRegion r = log.read(batches.get(first)[0], maxBytes);
                assertThat(r.firstOffset()).as("seed %d", seed).isEqualTo(batches.get(first)[0]);
                assertThat((long) r.length())
                        .as("seed %d first %d maxBytes %d", seed, first, maxBytes)
                        .isEqualTo(expected);
                batchesIn(readRegion(r));
            }
        }
    }

    @Test
    void shouldReturnEmptyAtLogEndAndThrowOutsideRange() {
        try (Log log = open(Map.of())) {
            assertThat(log.read(0, 100).isEmpty()).isTrue();
            log.append(batch(Codec.NONE, 3, 10, 1L));
            assertThat(log.read(3, 100).isEmpty()).isTrue();
            assertThatThrownBy(() -> log.read(4, 100)).isInstanceOfSatisfying(OffsetOutOfRangeException.class, e -> {
                assertThat(e.logStartOffset()).isZero();
                assertThat(e.logEndOffset()).isEqualTo(3);
                assertThat(e.requestedOffset()).isEqualTo(4);
            });
            assertThatThrownBy(() -> log.read(-1, 100)).isInstanceOf(OffsetOutOfRangeException.class);
        }
    }

    @Test
    void shouldRollOnSegmentBytesAndKeepIndexesConsistent() throws Exception {
        try (Log log = open(Map.of("segment.bytes", "20000", "index.interval.bytes", "1000"))) {
            for (int i = 0; i < 120; i++) {
                log.append(batch(i % 2 == 0 ? Codec.NONE : Codec.SNAPPY, 3, 300, i * 10L));
            }
            assertThat(log.numberOfSegments()).isGreaterThan(3);
            for (LogSegment s : log.segments()) {
                assertThat(s.size()).isLessThanOrEqualTo(20000);
                assertThat(Files.exists(s.logFile())).isTrue();
                assertThat(s.logFile().getFileName().toString()).isEqualTo(String.format("%020d.log", s.baseOffset()));
            }
            // inactive segments have trimmed indexes
            LogSegment first = log.segments().get(0);
            assertThat(Files.size(first.offsetIndex().file()))
                    .isEqualTo(first.offsetIndex().entries() * 8L);
            assertThat(Files.size(first.timeIndex().file()))
                    .isEqualTo(first.timeIndex().entries() * 12L);
            assertIndexesConsistent(log);
            // every offset is readable from the segment that holds it
            for (long off = 0; off < log.logEndOffset(); off += 7) {
                RecordBatch b = batchesIn(readRegion(log.read(off, 1))).get(0);
                assertThat(off).isBetween(b.baseOffset(), b.lastOffset());
            }
        }
    }

    @Test
    void shouldRollOnSegmentMsUsingTheClock() {
        try (Log log = open(Map.of("segment.ms", "1000"))) {
            log.append(batch(Codec.NONE, 1, 10, 1L));
            clock.advance(999);
            log.append(batch(Codec.NONE, 1, 10, 1L));
            assertThat(log.numberOfSegments()).isEqualTo(1);
            clock.advance(2);
            log.append(batch(Codec.NONE, 1, 10, 1L));
            assertThat(log.numberOfSegments()).isEqualTo(2);
            assertThat(log.segments().get(1).baseOffset()).isEqualTo(2);
        }
    }

    @Test
    void shouldRollWhenIndexIsFull() {
        try (Log log = open(Map.of("segment.index.bytes", "48", "index.interval.bytes", "0"))) {
            for (int i = 0; i < 20; i++) {
                log.append(batch(Codec.NONE, 1, 10, i));
            }
            assertThat(log.numberOfSegments()).isGreaterThan(2);
            assertIndexesConsistent(log);
        }
    }

    @Test
    void shouldAcceptOneAppendWithMoreBatchesThanTheIndexHasSlots() {
        try (Log log = open(Map.of("segment.index.bytes", "48", "index.interval.bytes", "0"))) {
            ByteBuffer[] many = new ByteBuffer[12];
            for (int i = 0; i < many.length; i++) {
                many[i] = batch(Codec.NONE, 1, 10, i);
            }
            log.append(concat(many));
            log.append(concat(many));
            assertThat(log.logEndOffset()).isEqualTo(24);
            assertThat(log.numberOfSegments()).isEqualTo(2);
            for (long off = 0; off < 24; off++) {
                assertThat(batchesIn(readRegion(log.read(off, 1))).get(0).baseOffset())
                        .isEqualTo(off);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void shouldStampLogAppendTime() {
        try (Log log = open(Map.of("message.timestamp.type", "LogAppendTime"))) {
            clock.set(5_000_000L);
            LogAppendInfo info = log.append(batch(Codec.ZSTD, 3, 10, 7L));
            assertThat(info.logAppendTime()).isEqualTo(5_000_000L);
            assertThat(info.maxTimestamp()).isEqualTo(5_000_000L);
            RecordBatch b = log.batches(0).next();
            assertThat(b.isValid()).isTrue();
            assertThat(b.timestampType()).isEqualTo(LogConfig.TimestampType.LOG_APPEND_TIME);
            assertThat(b.records()).allMatch(r -> r.timestamp() == 5_000_000L);
        }
    }

    @Test
    void shouldFindOffsetForTimestamp() {
        try (Log log = open(Map.of("segment.bytes", "3000", "index.interval.bytes", "200"))) {
            // batch i holds timestamps 1000*i .. 1000*i+4
            for (int i = 0; i < 40; i++) {
                log.append(batch(i % 3 == 0 ? Codec.GZIP : Codec.NONE, 5, 40, 1000L * i));
            }
            assertThat(log.numberOfSegments()).isGreaterThan(2);
            assertThat(log.offsetForTimestamp(0)).contains(new TimestampOffset(0, 0));
            assertThat(log.offsetForTimestamp(1000L * 17 + 3))
                    .contains(new TimestampOffset(1000L * 17 + 3, 17 * 5 + 3));
            assertThat(log.offsetForTimestamp(1000L * 17 + 5)).contains(new TimestampOffset(1000L * 18, 18 * 5));
            assertThat(log.offsetForTimestamp(1000L * 39 + 4)).contains(new TimestampOffset(1000L * 39 + 4, 199));
            assertThat(log.offsetForTimestamp(1000L * 39 + 5)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void shouldPersistLogStartOffsetFromDeleteRecords() {
        Path dir;
        try (Log log = open(Map.of())) {
            log.append(batch(Codec.NONE, 10, 10, 1L));
            assertThat(log.deleteRecordsBefore(4)).isEqualTo(4);
            assertThat(log.deleteRecordsBefore(2)).as("never moves back").isEqualTo(4);
            assertThatThrownBy(() -> log.read(3, 100)).isInstanceOf(OffsetOutOfRangeException.class);
            assertThat(log.read(4, 100).firstOffset()).as("batch containing 4").isZero();
            assertThatThrownBy(() -> log.deleteRecordsBefore(11)).isInstanceOf(OffsetOutOfRangeException.class);
            dir = log.dir();
        }
        try (Log log = Log.open(dir, LogConfig.defaults(), clock)) {
            assertThat(log.logStartOffset()).isEqualTo(4);
            assertThat(log.logEndOffset()).isEqualTo(10);
        }
    }

    @Test
    void shouldReopenCleanlyWithSameStateAndContinueOffsets() {
        Path dir;
        TimestampOffset max;
        try (Log log = open(Map.of("segment.bytes", "5000", "index.interval.bytes", "500"))) {
            for (int i = 0; i < 30; i++) {
                log.append(batch(Codec.NONE, 2, 100, 50L * i));
            }
            max = log.maxTimestamp();
            dir = log.dir();
        }
        try (Log log = Log.open(
                dir, LogConfig.fromMap(Map.of("segment.bytes", "5000", "index.interval.bytes", "500")), clock, true)) {
            assertThat(log.logEndOffset()).isEqualTo(60);
            assertThat(log.maxTimestamp()).isEqualTo(max);
            assertIndexesConsistent(log);
            assertThat(log.append(batch(Codec.NONE, 1, 10, 1L)).firstOffset()).isEqualTo(60);
            assertIndexesConsistent(log);
        }
    }

    @Test
    void shouldIterateBatchesFromAnOffset() {
        try (Log log = open(Map.of("segment.bytes", "2000"))) {
            for (int i = 0; i < 20; i++) {
                log.append(batch(Codec.NONE, 2, 100, i));
            }
            Iterator<RecordBatch> it = log.batches(13);
            List<Long> bases = new ArrayList<>();
            it.forEachRemaining(b -> bases.add(b.baseOffset()));
            assertThat(bases.get(0)).isEqualTo(12);
            assertThat(bases).hasSize(14);
            assertThat(bases.get(bases.size() - 1)).isEqualTo(38);
        }
    }

    @Test
    void shouldLetReadersSeeOnlyWholeBatchesWhileWriterAppends() throws Exception {
        try (Log log = open(Map.of("segment.bytes", "200000", "index.interval.bytes", "1000"))) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread reader = new Thread(() -> {
                    try {
                        while (!done.get()) {
                            long end = log.logEndOffset();
                            long from = end == 0 ? 0 : Math.max(0, end - 50);
                            FileRegion r = log.read(from, 64 * 1024);
                            if (!r.isEmpty()) {
                                for (RecordBatch b : batchesIn(readRegion(r))) {
                                    if (!b.isValid()) {
                                        throw new AssertionError("invalid batch " + b);
                                    }
                                }
                            }
                        }
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
                reader.start();
                readers.add(reader);
            }
            for (int i = 0; i < 2000; i++) {
                log.append(batch(Codec.NONE, 3, 50 + i % 200, i));
            }
            done.set(true);
            for (Thread r : readers) {
                r.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(log.numberOfSegments()).isGreaterThan(2);
            assertIndexesConsistent(log);
        }
    }

    @Test
    void shouldFlushByMessageCountAndAdvanceRecoveryPoint() {
        try (Log log = open(Map.of("flush.messages", "5"))) {
            log.append(batch(Codec.NONE, 3, 10, 1L));
            assertThat(log.recoveryPoint()).isZero();
            log.append(batch(Codec.NONE, 3, 10, 1L));
            assertThat(log.recoveryPoint()).isEqualTo(6);
        }
    }

    @Test
    void shouldFlushWhenFlushMsHasPassed() {
        try (Log log = open(Map.of("flush.ms", "1000"))) {
            log.append(batch(Codec.NONE, 3, 10, 1L));
            assertThat(log.flushIfDue()).isFalse();
            clock.advance(1000);
            assertThat(log.flushIfDue()).isTrue();
            assertThat(log.recoveryPoint()).isEqualTo(3);
            assertThat(log.flushIfDue()).isFalse();
        }
    }

    @Test
    void shouldFlushRolledSegmentsUpToTheActiveSegmentAfterARoll() {
        try (Log log = open(Map.of("segment.bytes", "2000"))) {
            for (int i = 0; i < 10; i++) {
                log.append(batch(Codec.NONE, 2, 100, i));
            }
            assertThat(log.numberOfSegments()).isGreaterThan(1);
            long activeBase = log.segments().get(log.segments().size() - 1).baseOffset();
            assertThat(log.recoveryPoint()).isZero();
            assertThat(log.flushIfDue()).isTrue(); // the roll made it due; flush.ms is unlimited by default
            assertThat(log.recoveryPoint()).isEqualTo(activeBase).isLessThan(log.logEndOffset());
            assertThat(log.flushIfDue()).isFalse();
        }
    }

    @Test
    void shouldKeepAppendingWhileTheSchedulerFlushesAndRetentionDeletes() throws Exception {
        try (Log log = open(Map.of(
                "segment.bytes",
                "3000",
                "index.interval.bytes",
                "200",
                "flush.ms",
                "0",
                "retention.bytes",
                "12000",
                "file.delete.delay.ms",
                "0"))) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<Long> recoveryPoints = new ArrayList<>();
            AtomicInteger passes = new AtomicInteger();
            Thread scheduler = new Thread(() -> {
                try {
                    while (!done.get()) {
                        log.flushIfDue();
                        recoveryPoints.add(log.recoveryPoint());
                        log.retention();
                        passes.incrementAndGet();
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            scheduler.start();
            for (int i = 0; i < 2000; i++) {
                log.append(batch(Codec.NONE, 2, 100, i));
            }
            // a few scheduler passes after the last append, however fast the appends were
            int seen = passes.get();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (passes.get() < seen + 3 && failure.get() == null && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            done.set(true);
            scheduler.join();
            assertThat(failure.get()).isNull();
            assertThat(recoveryPoints).isSortedAccordingTo(Long::compare);
            assertThat(log.logEndOffset()).isEqualTo(4000);
            assertThat(log.logStartOffset()).isPositive();
            log.flushIfDue(); // whatever the scheduler's last pass left (it may have flushed everything already)
            assertThat(log.recoveryPoint()).isEqualTo(4000);
            assertIndexesConsistent(log);
        }
    }
}
