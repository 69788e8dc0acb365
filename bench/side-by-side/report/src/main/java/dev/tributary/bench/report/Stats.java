package dev.tributary.bench.report;

import java.util.Arrays;

/** Median and geometric mean over the finite, positive values of an array; NaN when there are none. */
public final class Stats {
    private Stats() {}

    public static double median(double[] values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    /** Ratios are combined geometrically so that 2x and 0.5x cancel out, as they should. */
    public static double geometricMean(double[] values) {
        double sumLog = 0;
        int n = 0;
        for (double x : values) {
            if (Double.isFinite(x) && x > 0) {
                sumLog += Math.log(x);
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.exp(sumLog / n);
    }

    /** Tributary over Kafka; NaN when either is missing or Kafka's is zero. */
    public static double ratio(double tributary, double kafka) {
        if (!Double.isFinite(tributary) || !Double.isFinite(kafka) || kafka == 0) {
            return Double.NaN;
        }
        return tributary / kafka;
    }
}
