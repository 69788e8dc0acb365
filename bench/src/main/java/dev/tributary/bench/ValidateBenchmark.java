package dev.tributary.bench;

import dev.tributary.log.internal.GrowableBuffer;
import dev.tributary.log.record.BatchValidator;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU part of an append, without I/O: the CRC32C check of a batch and the walk over its records
 * (decompressing first for compressed codecs). Explains where {@code AppendBenchmark.append} spends time
 * beyond the raw write.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class ValidateBenchmark {
    @Param({"65536"})
    public int batchBytes;

    @Param({"NONE"})
    public Codec codec;

    /** Heap (a client-built or test buffer) or direct (a broker reading requests into pooled direct buffers). */
    @Param({"false", "true"})
    public boolean direct;

    private ByteBuffer batch;
    private final RecordBatch flyweight = new RecordBatch();
    private final GrowableBuffer scratch = new GrowableBuffer(1 << 20);
    private final BatchValidator validator = new BatchValidator();

    @Setup
    public void setUp() {
        ByteBuffer heap = BenchData.batch(codec, batchBytes, 1_700_000_000_000L);
        batch = direct ? ByteBuffer.allocateDirect(heap.remaining()).put(heap).flip() : heap;
    }

    @Benchmark
    public long crcOnly() {
        return flyweight.wrap(batch, 0).computeCrc();
    }

    @Benchmark
    public long recordWalkOnly() {
        return validator.validateRecords(flyweight.wrap(batch, 0), "bench-0", 0, scratch);
    }
}
