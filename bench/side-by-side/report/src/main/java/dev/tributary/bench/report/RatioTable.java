package dev.tributary.bench.report;

import dev.tributary.bench.report.Measurement.Broker;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tributary/Kafka ratios from the raw measurements, with no I/O.
 *
 * <p>Per workload and metric: the ratio in each round (both brokers ran the same workload in that round), and
 * the median over rounds. The headline per metric is what issue 8 specifies: in each round, the geometric
 * mean of that round's per-workload ratios; then the median of those over rounds. Pairing within a round
 * (rather than dividing medians) cancels the drift of this shared machine between rounds.
 */
public final class RatioTable {
    /** One workload and metric: per-round values (index = position in {@link #rounds()}), NaN when missing. */
    public record Row(String workload, Metric metric, double[] kafka, double[] tributary, double[] ratio) {
        public double kafkaMedian() {
            return Stats.median(kafka);
        }

        public double tributaryMedian() {
            return Stats.median(tributary);
        }

        public double ratioMedian() {
            return Stats.median(ratio);
        }
    }

    /** The headline for one metric: the per-round geometric means over workloads and their median. */
    public record Headline(Metric metric, double[] geomeanByRound, int workloads) {
        public double median() {
            return Stats.median(geomeanByRound);
        }
    }

    private final List<Integer> rounds;
    private final List<String> workloads;
    private final List<Row> rows;
    private final Map<Metric, Headline> headlines;

    private RatioTable(List<Integer> rounds, List<String> workloads, List<Row> rows, Map<Metric, Headline> headlines) {
        this.rounds = rounds;
        this.workloads = workloads;
        this.rows = rows;
        this.headlines = headlines;
    }

    public static RatioTable of(List<Measurement> measurements) {
        List<Integer> rounds = new ArrayList<>(
                new TreeSet<>(measurements.stream().map(Measurement::round).toList()));
        Set<String> workloadSet = new LinkedHashSet<>();
        measurements.forEach(m -> workloadSet.add(m.workload()));
        List<String> workloads = new ArrayList<>(workloadSet);

        Map<String, Double> byKey = new HashMap<>();
        for (Measurement m : measurements) {
            byKey.put(key(m.broker(), m.round(), m.workload(), m.metric()), m.value());
        }
        List<Row> rows = new ArrayList<>();
        for (String w : workloads) {
            for (Metric metric : Metric.values()) {
                double[] k = new double[rounds.size()];
                double[] t = new double[rounds.size()];
                double[] r = new double[rounds.size()];
                boolean any = false;
                for (int i = 0; i < rounds.size(); i++) {
                    k[i] = byKey.getOrDefault(key(Broker.KAFKA, rounds.get(i), w, metric), Double.NaN);
                    t[i] = byKey.getOrDefault(key(Broker.TRIBUTARY, rounds.get(i), w, metric), Double.NaN);
                    r[i] = Stats.ratio(t[i], k[i]);
                    any |= !Double.isNaN(k[i]) || !Double.isNaN(t[i]);
                }
                if (any) {
                    rows.add(new Row(w, metric, k, t, r));
                }
            }
        }

        Map<Metric, Headline> headlines = new EnumMap<>(Metric.class);
        for (Metric metric : Metric.values()) {
            List<Row> forMetric =
                    rows.stream().filter(row -> row.metric() == metric).toList();
            if (forMetric.isEmpty()) {
                continue;
            }
            double[] geomean = new double[rounds.size()];
            for (int i = 0; i < rounds.size(); i++) {
                final int round = i;
                geomean[i] = Stats.geometricMean(forMetric.stream()
                        .mapToDouble(row -> row.ratio()[round])
                        .toArray());
            }
            headlines.put(metric, new Headline(metric, geomean, forMetric.size()));
        }
        return new RatioTable(List.copyOf(rounds), List.copyOf(workloads), List.copyOf(rows), headlines);
    }

    private static String key(Broker b, int round, String workload, Metric metric) {
        return b + "|" + round + "|" + workload + "|" + metric;
    }

    public List<Integer> rounds() {
        return rounds;
    }

    public List<String> workloads() {
        return workloads;
    }

    public List<Row> rows() {
        return rows;
    }

    public List<Row> rowsFor(String workload) {
        return rows.stream().filter(r -> r.workload().equals(workload)).toList();
    }

    public Map<Metric, Headline> headlines() {
        return headlines;
    }

    @Override
    public String toString() {
        return "RatioTable" + Arrays.asList(rounds) + workloads;
    }
}
