package dev.tributary.bench;

import dev.tributary.log.FileRegion;
import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.record.Codec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A consumer fetch: {@link Log#read} at a random offset of a 128 MiB log (page-cache resident) and
 * {@link FileRegion#transferTo} into a sink channel ({@code /dev/null}, which Linux serves with sendfile/splice),
 * beside {@link #rawTransferTo}: the same number of bytes transferred from a precomputed position of the same
 * file, i.e. the cost without the offset lookup.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class ReadBenchmark {
    static final long LOG_BYTES = 128L << 20;
    static final int BATCH_BYTES = 16 * 1024;

    @Param({"65536", "1048576"})
    public int maxBytes;

    private Path dir;
    private Log log;
    private FileChannel sink;
    private long[] offsets;
    private FileRegion[] regions;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchData.tempDir("read-bench");
        log = Log.open(
                dir.resolve("bench-0"),
                LogConfig.fromMap(Map.of("segment.bytes", Long.toString(LOG_BYTES * 2))),
                Clock.systemUTC());
        ByteBuffer batch = BenchData.batch(Codec.NONE, BATCH_BYTES, System.currentTimeMillis());
        while (log.size() < LOG_BYTES) {
            batch.position(0);
            log.append(batch);
        }
        sink = FileChannel.open(Path.of("/dev/null"), StandardOpenOption.WRITE);
        java.util.Random rnd = new java.util.Random(7);
        offsets = new long[4096];
        regions = new FileRegion[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = (long) (rnd.nextDouble() * (log.logEndOffset() - 1));
            regions[i] = log.read(offsets[i], maxBytes);
        }
    }

    @Benchmark
    public long readAndTransfer() throws IOException {
        int i = next++ & (offsets.length - 1);
        FileRegion r = log.read(offsets[i], maxBytes);
        long done = 0;
        while (done < r.length()) {
            done += r.transferTo(sink, done, r.length() - done);
        }
        return done;
    }

    @Benchmark
    public long rawTransferTo() throws IOException {
        int i = next++ & (offsets.length - 1);
        FileRegion r = regions[i];
        FileChannel ch = r.channel();
        long done = 0;
        while (done < r.length()) {
            done += ch.transferTo(r.position() + done, r.length() - done, sink);
        }
        return done;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        sink.close();
        log.close();
        BenchData.deleteRecursively(dir);
    }
}
