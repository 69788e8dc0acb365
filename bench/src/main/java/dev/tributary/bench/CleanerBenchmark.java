package dev.tributary.bench;

import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.LogManager;
import dev.tributary.log.cleaner.CleanerConfig;
import dev.tributary.log.cleaner.CleanerStats;
import dev.tributary.log.cleaner.LogCleaner;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The log cleaner on a {@code logBytes} (1 GiB) dirty log of {@code keys} (1M) distinct keys, each written about
 * 4-5 times (200-byte values, 16 KiB batches), against the physical baseline in the same run: a plain sequential
 * {@code FileChannel} read of the same segment files plus a write of the same bytes to new files, forced as the
 * cleaner forces its output. Single-shot: each op is one whole cleaning (or one whole copy) of a fresh copy of the
 * log made in an untimed setup.
 *
 * <p>Report {@code rawReadPlusWrite / clean} time as the ratio, and {@code logBytes / clean time} as MB/s; the
 * cleaner's own figures (read/written MB, MB/s, CPU seconds) and the baseline's CPU seconds are printed after each
 * op. On a shared, oversubscribed machine the CPU seconds are the steadier measure of the cleaner's own cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(
        value = 1,
        jvmArgs = {"-Xmx2g", "-XX:MaxDirectMemorySize=1g"})
public class CleanerBenchmark {
    @Param({"1073741824"})
    long logBytes;

    @Param({"1000000"})
    int keys;

    @Param({"NONE"})
    String codec;

    private Path root;
    private Path pristine;
    private Path work;
    private LogManager manager;
    private LogCleaner cleaner;
    private final ByteBuffer copyBuffer = ByteBuffer.allocateDirect(512 * 1024);
    private long rawCpuNanos = -1;
    private long rawWallNanos;

    private LogConfig config() {
        return LogConfig.fromMap(Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(128 << 20)));
    }

    @Setup(Level.Trial)
    public void buildDirtyLog() throws IOException {
        root = BenchData.tempDir("cleaner-bench");
        pristine = root.resolve("pristine");
        Random rnd = new Random(7);
        Codec c = Codec.valueOf(codec);
        byte[] value = new byte[200];
        long ts = System.currentTimeMillis();
        try (LogManager m = LogManager.open(pristine, config(), Clock.systemUTC())) {
            Log log = m.getOrCreate("bench", 0, config());
            int k = 0;
            while (log.size() < logBytes) {
                RecordBatchBuilder b = RecordBatchBuilder.create(c, 17 * 1024);
                while (b.uncompressedSizeInBytes() < 16 * 1024) {
                    // the first pass writes every key once, later passes random keys: ~4.8 versions per key
                    int key = k < keys ? k++ : rnd.nextInt(keys);
                    rnd.nextBytes(value);
                    b.append(ts, String.format("key-%011d", key).getBytes(StandardCharsets.UTF_8), value);
                }
                log.append(b.build());
            }
            log.roll();
        }
    }

    @Setup(Level.Invocation)
    public void freshCopy() throws IOException {
        work = root.resolve("work");
        BenchData.deleteRecursively(work);
        copyTree(pristine, work);
        manager = LogManager.open(work, config(), Clock.systemUTC());
        manager.get("bench", 0).orElseThrow().updateConfig(config());
        cleaner = new LogCleaner(CleanerConfig.defaults(), List.of(manager), Clock.systemUTC());
    }

    @TearDown(Level.Invocation)
    public void closeCopy() throws IOException {
        cleaner.lastStats().ifPresent(s -> System.out.println("\n[cleaner] " + s.summary()));
        if (rawCpuNanos >= 0) {
            System.out.printf(
                    "%n[raw] read+write of the log's bytes in %.3f s, CPU %.3f s%n",
                    rawWallNanos / 1e9, rawCpuNanos / 1e9);
            rawCpuNanos = -1;
        }
        cleaner.close();
        manager.close();
        BenchData.deleteRecursively(work);
        BenchData.deleteRecursively(root.resolve("raw-out"));
    }

    @TearDown(Level.Trial)
    public void removeAll() throws IOException {
        BenchData.deleteRecursively(root);
    }

    /** One whole cleaning run of the dirty log. */
    @Benchmark
    public CleanerStats clean() throws InterruptedException {
        return cleaner.cleanOnce().orElseThrow();
    }

    /** Baseline: read every segment file of the log sequentially and write the same bytes to new files, forced. */
    @Benchmark
    public long rawReadPlusWrite() throws IOException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = mx.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        Path out = Files.createDirectories(root.resolve("raw-out"));
        long total = 0;
        try (Stream<Path> files = Files.list(work.resolve("bench-0"))) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                try (FileChannel in = FileChannel.open(f, StandardOpenOption.READ);
                        FileChannel dst = FileChannel.open(
                                out.resolve(f.getFileName()), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    long pos = 0;
                    while (true) {
                        copyBuffer.clear();
                        int n = in.read(copyBuffer, pos);
                        if (n <= 0) {
                            break;
                        }
                        copyBuffer.flip();
                        long w = pos;
                        while (copyBuffer.hasRemaining()) {
                            w += dst.write(copyBuffer, w);
                        }
                        pos += n;
                    }
                    dst.force(true);
                    total += pos;
                }
            }
        }
        rawCpuNanos = mx.getCurrentThreadCpuTime() - cpu0;
        rawWallNanos = System.nanoTime() - wall0;
        return total;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted().toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
