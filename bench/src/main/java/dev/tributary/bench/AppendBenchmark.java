package dev.tributary.bench;

import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.record.Codec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayDeque;
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
 * {@link Log#append} of one pre-built batch per operation (validation, offset assignment, write, indexing),
 * beside {@link #rawFileChannelWrite}: a plain sequential {@link FileChannel#write} of the same bytes into files
 * rolled and deleted at the same sizes, which is the physical limit on this machine. Compare the two in the same
 * run: {@code append / rawFileChannelWrite} throughput is the efficiency of the storage engine.
 *
 * <p>Both sides roll 512 MiB files and keep about 1 GiB on disk, so a long run does not fill the disk and both
 * pay for new files and deletions the same way. Segments are large, as in production (Kafka's default
 * segment.bytes is 1 GiB), so per-segment work (creating preallocated indexes, trimming them, renaming deleted
 * segments) weighs per byte as it would there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(1)
public class AppendBenchmark {
    static final int SEGMENT_BYTES = 512 << 20;
    static final long KEEP_BYTES = 1L << 30;

    @Param({"1024", "16384", "65536", "262144", "1048576"})
    public int batchBytes;

    @Param({"NONE", "GZIP", "SNAPPY", "LZ4", "ZSTD"})
    public Codec codec;

    private Path dir;
    private ByteBuffer batch;
    private Log log;
    private RawSegmentedWriter raw;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = BenchData.tempDir("append-bench");
        batch = BenchData.batch(codec, batchBytes, System.currentTimeMillis());
        log = Log.open(
                dir.resolve("bench-0"),
                LogConfig.fromMap(Map.of(
                        "segment.bytes", Integer.toString(SEGMENT_BYTES),
                        "retention.bytes", Long.toString(KEEP_BYTES),
                        "retention.ms", "-1",
                        "file.delete.delay.ms", "0",
                        "max.message.bytes", Integer.toString(Math.max(1048588, batch.remaining())))),
                Clock.systemUTC());
        raw = new RawSegmentedWriter(dir.resolve("raw"), SEGMENT_BYTES, KEEP_BYTES);
    }

    @Benchmark
    public long append() {
        batch.position(0);
        long last = log.append(batch).lastOffset();
        if (log.size() > KEEP_BYTES + SEGMENT_BYTES) {
            log.retention();
        }
        return last;
    }

    @Benchmark
    public long rawFileChannelWrite() throws IOException {
        batch.position(0);
        return raw.write(batch);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        log.close();
        raw.close();
        BenchData.deleteRecursively(dir);
    }

    /** Sequential writes into files of {@code segmentBytes}, deleting the oldest beyond {@code keepBytes}. */
    static final class RawSegmentedWriter {
        private final Path dir;
        private final int segmentBytes;
        private final long keepBytes;
        private final ArrayDeque<Path> files = new ArrayDeque<>();
        private FileChannel channel;
        private long position;
        private long fileNo;

        RawSegmentedWriter(Path dir, int segmentBytes, long keepBytes) throws IOException {
            this.dir = Files.createDirectories(dir);
            this.segmentBytes = segmentBytes;
            this.keepBytes = keepBytes;
            roll();
        }

        private void roll() throws IOException {
            if (channel != null) {
                channel.close();
            }
            Path f = dir.resolve(String.format("%020d.raw", fileNo++));
            channel = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            files.addLast(f);
            position = 0;
            while ((long) (files.size() - 1) * segmentBytes > keepBytes) {
                Files.deleteIfExists(files.removeFirst());
            }
        }

        long write(ByteBuffer buf) throws IOException {
            if (position > 0 && position + buf.remaining() > segmentBytes) {
                roll();
            }
            while (buf.hasRemaining()) {
                position += channel.write(buf);
            }
            return position;
        }

        void close() throws IOException {
            channel.close();
        }
    }
}
