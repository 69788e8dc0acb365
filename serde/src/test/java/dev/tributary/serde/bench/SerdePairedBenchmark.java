package dev.tributary.serde.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.apache.avro.generic.GenericRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
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
 * {@link SerdeBenchmark}'s comparisons as JMH groups: in each group the raw Avro call and the serde call run
 * at the same time on two threads, so both sides see the same machine. On a shared, loaded machine,
 * benchmarks run one after another see different loads and their difference is noise; a pair measured
 * together keeps the ratio meaningful. Read the two per-method scores of a group against each other.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class SerdePairedBenchmark {
    @Param({"16", "1024"})
    public int commentBytes;

    private SerdeBenchmark b;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        b = new SerdeBenchmark();
        b.commentBytes = commentBytes;
        b.setUp();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        b.tearDown();
    }

    @Benchmark
    @Group("serializeConfluent")
    @GroupThreads(1)
    public byte[] serializeConfluentRaw() throws IOException {
        return b.rawSerialize();
    }

    @Benchmark
    @Group("serializeConfluent")
    @GroupThreads(1)
    public byte[] serializeConfluentSerde() {
        return b.confluentSerialize();
    }

    @Benchmark
    @Group("serializeSingleObject")
    @GroupThreads(1)
    public byte[] serializeSingleObjectRaw() throws IOException {
        return b.rawSerialize();
    }

    @Benchmark
    @Group("serializeSingleObject")
    @GroupThreads(1)
    public byte[] serializeSingleObjectSerde() {
        return b.singleObjectSerialize();
    }

    @Benchmark
    @Group("deserializeConfluent")
    @GroupThreads(1)
    public GenericRecord deserializeConfluentRaw() throws IOException {
        return b.rawDeserialize();
    }

    @Benchmark
    @Group("deserializeConfluent")
    @GroupThreads(1)
    public GenericRecord deserializeConfluentSerde() {
        return b.confluentDeserialize();
    }

    @Benchmark
    @Group("deserializeSingleObject")
    @GroupThreads(1)
    public GenericRecord deserializeSingleObjectRaw() throws IOException {
        return b.rawDeserialize();
    }

    @Benchmark
    @Group("deserializeSingleObject")
    @GroupThreads(1)
    public GenericRecord deserializeSingleObjectSerde() {
        return b.singleObjectDeserialize();
    }
}
