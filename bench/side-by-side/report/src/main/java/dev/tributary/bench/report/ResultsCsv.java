package dev.tributary.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code results.csv}: {@code workload,metric,round,kafka,tributary,ratio,target,met}. Per workload and
 * metric one line per round and one with {@code round=median}; the headline lines have
 * {@code workload=HEADLINE}, the per-round geometric means over workloads, and their median.
 */
public final class ResultsCsv {
    private ResultsCsv() {}

    public static void write(RatioTable table, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("workload,metric,round,kafka,tributary,ratio,target,met");
        for (RatioTable.Row row : table.rows()) {
            for (int i = 0; i < table.rounds().size(); i++) {
                lines.add(line(
                        row.workload(),
                        row.metric(),
                        String.valueOf(table.rounds().get(i)),
                        row.kafka()[i],
                        row.tributary()[i],
                        row.ratio()[i],
                        false));
            }
            lines.add(line(
                    row.workload(),
                    row.metric(),
                    "median",
                    row.kafkaMedian(),
                    row.tributaryMedian(),
                    row.ratioMedian(),
                    false));
        }
        for (RatioTable.Headline h : table.headlines().values()) {
            for (int i = 0; i < table.rounds().size(); i++) {
                lines.add(line(
                        "HEADLINE",
                        h.metric(),
                        String.valueOf(table.rounds().get(i)),
                        Double.NaN,
                        Double.NaN,
                        h.geomeanByRound()[i],
                        false));
            }
            lines.add(line("HEADLINE", h.metric(), "median", Double.NaN, Double.NaN, h.median(), true));
        }
        Files.write(file, lines);
    }

    private static String line(String workload, Metric m, String round, double k, double t, double r, boolean judged) {
        String target =
                m.target().map(x -> String.format(Locale.ROOT, "%.2f", x)).orElse("");
        String met = judged ? m.meets(r).map(String::valueOf).orElse("") : "";
        return String.join(",", workload, m.key(), round, num(k), num(t), num(r), target, met);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
