package dev.tributary.bench.report;

import java.util.Optional;

/**
 * What run.sh measures, keyed by the name it writes in the raw CSV. Each metric knows which direction is
 * better and, when issue 8 sets one, the Tributary/Kafka ratio it must reach (on the headline figure, the
 * median over rounds of the geometric mean over workloads).
 */
public enum Metric {
    PRODUCE_RPS("produce_rps", "produce rec/s", Better.HIGHER, 1.3),
    CONSUME_RPS("consume_rps", "consume rec/s", Better.HIGHER, 1.5),
    PRODUCE_P50_MS("produce_p50_ms", "p50 ms full load", Better.LOWER, Double.NaN),
    PRODUCE_P99_MS("produce_p99_ms", "p99 ms full load", Better.LOWER, Double.NaN),
    HALF_LOAD_P50_MS("half_p50_ms", "p50 ms 50% load", Better.LOWER, Double.NaN),
    HALF_LOAD_P99_MS("half_p99_ms", "p99 ms 50% load", Better.LOWER, 0.7),
    /** Broker CPU during the produce and the consume step over the GiB produced plus the GiB consumed. */
    CPU_S_PER_GIB("cpu_s_per_gib", "CPU-s/GiB", Better.LOWER, 0.5),
    CPU_PRODUCE_S_PER_GIB("cpu_produce_s_per_gib", "CPU-s/GiB produce", Better.LOWER, Double.NaN),
    CPU_CONSUME_S_PER_GIB("cpu_consume_s_per_gib", "CPU-s/GiB consume", Better.LOWER, Double.NaN),
    /** VmRSS a few seconds after the broker accepts connections, before any workload. */
    RSS_START_MIB("rss_start_mib", "RSS after start MiB", Better.LOWER, 0.5),
    /** VmHWM at the end of the full-load session. */
    RSS_PEAK_MIB("rss_peak_mib", "peak RSS MiB", Better.LOWER, Double.NaN);

    /** Which way a ratio is good. */
    public enum Better {
        HIGHER,
        LOWER
    }

    private final String key;
    private final String label;
    private final Better better;
    private final double target;

    Metric(String key, String label, Better better, double target) {
        this.key = key;
        this.label = label;
        this.better = better;
        this.target = target;
    }

    public String key() {
        return key;
    }

    public String label() {
        return label;
    }

    public Better better() {
        return better;
    }

    /** The Tributary/Kafka ratio issue 8 asks for, if it sets one for this metric. */
    public Optional<Double> target() {
        return Double.isNaN(target) ? Optional.empty() : Optional.of(target);
    }

    /** Whether {@code ratio} reaches the target; empty when there is no target or no ratio. */
    public Optional<Boolean> meets(double ratio) {
        if (Double.isNaN(target) || Double.isNaN(ratio)) {
            return Optional.empty();
        }
        return Optional.of(better == Better.HIGHER ? ratio >= target : ratio <= target);
    }

    public static Metric fromKey(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + key + "'");
    }
}
