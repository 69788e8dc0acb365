package dev.tributary.serde.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;

/**
 * A companion to {@link SerdeBenchmark} for a loaded machine: it alternates short batches of the raw Avro
 * call and the serde call on one thread and compares the thread's CPU time per operation (medians over the
 * rounds), so time spent waiting for a core while other processes run does not count against either side.
 * JMH remains the reference measurement; this answers "how much does framing + cache add" when the shared
 * machine is too busy for wall-clock throughput to be stable. Run with the same class path as the benchmark:
 * {@code java -cp ... dev.tributary.serde.bench.SerdeOverheadProbe [commentBytes] [rounds]}.
 */
public final class SerdeOverheadProbe {
    private static final int BATCH = 20_000;

    private SerdeOverheadProbe() {}

    interface Op {
        Object run() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int commentBytes = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        SerdeBenchmark b = new SerdeBenchmark();
        b.commentBytes = commentBytes;
        b.setUp();
        try {
            compare("serialize   confluent     ", b::rawSerialize, b::confluentSerialize, rounds);
            compare("serialize   single-object ", b::rawSerialize, b::singleObjectSerialize, rounds);
            compare("deserialize confluent     ", b::rawDeserialize, b::confluentDeserialize, rounds);
            compare("deserialize single-object ", b::rawDeserialize, b::singleObjectDeserialize, rounds);
        } finally {
            b.tearDown();
        }
    }

    private static void compare(String name, Op raw, Op serde, int rounds) throws Exception {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 10; i++) { // warm up both paths before measuring
            batch(raw, mx);
            batch(serde, mx);
        }
        double[] rawNs = new double[rounds];
        double[] serdeNs = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            rawNs[i] = batch(raw, mx);
            serdeNs[i] = batch(serde, mx);
        }
        double r = median(rawNs);
        double s = median(serdeNs);
        System.out.printf(
                "%s raw %7.1f ns/op   serde %7.1f ns/op   overhead %+6.1f%%%n", name, r, s, (s / r - 1) * 100);
    }

    private static double batch(Op op, ThreadMXBean mx) throws Exception {
        Object sink = null;
        long start = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < BATCH; i++) {
            sink = op.run();
        }
        long cpu = mx.getCurrentThreadCpuTime() - start;
        if (sink == null) {
            throw new IllegalStateException("no result");
        }
        return (double) cpu / BATCH;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
