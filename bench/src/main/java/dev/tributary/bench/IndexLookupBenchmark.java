package dev.tributary.bench;

import dev.tributary.log.TimestampOffset;
import dev.tributary.log.index.OffsetIndex;
import dev.tributary.log.index.OffsetPosition;
import dev.tributary.log.index.TimeIndex;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookups in full 10 MiB indexes (1,310,720 offset entries; 873,813 time entries): random targets over the whole
 * range (binary search over cold and warm parts) and targets in the last 8 KiB (the consumer-at-the-tail case the
 * warm-section search serves). SampleTime mode reports percentiles; the median is p0.50.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class IndexLookupBenchmark {
    static final int INDEX_BYTES = 10 * 1024 * 1024;
    static final long BASE = 1_000_000L;

    private Path dir;
    private OffsetIndex offsetIndex;
    private TimeIndex timeIndex;
    private long[] randomOffsets;
    private long[] tailOffsets;
    private long[] randomTimestamps;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchData.tempDir("index-bench");
        offsetIndex = new OffsetIndex(dir.resolve("00000000000001000000.index"), BASE, INDEX_BYTES, true);
        timeIndex = new TimeIndex(dir.resolve("00000000000001000000.timeindex"), BASE, INDEX_BYTES, true);
        // an entry per ~4 KiB batch holding ~10 records: offsets step 10, positions step 4096
        long offset = BASE;
        while (!offsetIndex.isFull()) {
            offsetIndex.append(offset, (int) ((offset - BASE) / 10 * 4096 % Integer.MAX_VALUE));
            offset += 10;
        }
        long ts = 1_700_000_000_000L;
        long tOffset = BASE;
        while (!timeIndex.isFull()) {
            timeIndex.maybeAppend(ts, tOffset, false);
            ts += 7;
            tOffset += 10;
        }
        Random rnd = new Random(1);
        long maxOffset = offset;
        randomOffsets = new long[1 << 16];
        tailOffsets = new long[1 << 16];
        randomTimestamps = new long[1 << 16];
        for (int i = 0; i < randomOffsets.length; i++) {
            randomOffsets[i] = BASE + (long) (rnd.nextDouble() * (maxOffset - BASE));
            tailOffsets[i] = maxOffset - 1 - rnd.nextInt(10 * 1000);
            randomTimestamps[i] = 1_700_000_000_000L + (long) (rnd.nextDouble() * (ts - 1_700_000_000_000L));
        }
    }

    @Benchmark
    public OffsetPosition offsetLookupRandom() {
        return offsetIndex.lookup(randomOffsets[next++ & 0xffff]);
    }

    @Benchmark
    public OffsetPosition offsetLookupTail() {
        return offsetIndex.lookup(tailOffsets[next++ & 0xffff]);
    }

    @Benchmark
    public TimestampOffset timeLookupRandom() {
        return timeIndex.lookup(randomTimestamps[next++ & 0xffff]);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        offsetIndex.close();
        timeIndex.close();
        BenchData.deleteRecursively(dir);
    }
}
