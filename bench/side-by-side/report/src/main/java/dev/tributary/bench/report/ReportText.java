package dev.tributary.bench.report;

import java.util.Locale;
import java.util.Map;

/** The human-readable table run.sh prints: one block per workload, then the headline against the targets. */
public final class ReportText {
    private ReportText() {}

    public static String render(RatioTable table) {
        StringBuilder sb = new StringBuilder();
        int n = table.rounds().size();
        String roundCols = String.join(
                "",
                table.rounds().stream()
                        .map(r -> String.format(Locale.ROOT, " %7s", "r" + r))
                        .toList());
        for (String w : table.workloads()) {
            sb.append(String.format(Locale.ROOT, "%n== %s%n", w));
            sb.append(String.format(
                    Locale.ROOT,
                    "  %-20s %12s %12s %s %8s%n",
                    "metric",
                    "Kafka med",
                    "Tribut. med",
                    ratioHeader(roundCols),
                    "T/K med"));
            for (RatioTable.Row row : table.rowsFor(w)) {
                sb.append(String.format(
                        Locale.ROOT,
                        "  %-20s %12s %12s",
                        row.metric().label(),
                        num(row.kafkaMedian()),
                        num(row.tributaryMedian())));
                for (int i = 0; i < n; i++) {
                    sb.append(String.format(Locale.ROOT, " %7s", ratio(row.ratio()[i])));
                }
                sb.append(String.format(Locale.ROOT, " %8s%n", ratio(row.ratioMedian())));
            }
        }
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%nHEADLINE (Tributary/Kafka: per round the geometric mean over workloads, then the median over rounds)%n"));
        sb.append(String.format(
                Locale.ROOT, "  %-20s %s %8s %8s %s%n", "metric", ratioHeader(roundCols), "median", "target", "met"));
        for (Map.Entry<Metric, RatioTable.Headline> e : table.headlines().entrySet()) {
            Metric m = e.getKey();
            RatioTable.Headline h = e.getValue();
            sb.append(String.format(Locale.ROOT, "  %-20s", m.label()));
            for (int i = 0; i < n; i++) {
                sb.append(String.format(Locale.ROOT, " %7s", ratio(h.geomeanByRound()[i])));
            }
            String target = m.target()
                    .map(t -> (m.better() == Metric.Better.HIGHER ? ">=" : "<=") + ratio(t))
                    .orElse("");
            String met = m.meets(h.median()).map(ok -> ok ? "yes" : "NO").orElse("");
            sb.append(String.format(Locale.ROOT, " %8s %8s %s%n", ratio(h.median()), target, met));
        }
        return sb.toString();
    }

    private static String ratioHeader(String roundCols) {
        return roundCols.isEmpty() ? "" : roundCols.substring(1);
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f", r);
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
