package dev.tributary.bench.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Entry point run.sh calls at the end of a run: {@code SideBySideReport RAW_CSV OUT_DIR [TITLE]}. Reads the raw
 * measurements, prints the table and the headline, and writes {@code OUT_DIR/results.csv},
 * {@code OUT_DIR/ratios.png} and {@code OUT_DIR/summary.txt}.
 */
public final class SideBySideReport {
    private SideBySideReport() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SideBySideReport RAW_CSV OUT_DIR [TITLE]");
            System.exit(2);
        }
        System.setProperty("java.awt.headless", "true");
        Path raw = Path.of(args[0]);
        Path out = Path.of(args[1]);
        String title = args.length > 2 ? args[2] : "Tributary / Kafka 4.3.1, side by side";
        Files.createDirectories(out);
        List<Measurement> measurements = RawCsv.read(raw);
        if (measurements.isEmpty()) {
            System.err.println("no measurements in " + raw);
            System.exit(1);
        }
        RatioTable table = RatioTable.of(measurements);
        String text = ReportText.render(table);
        System.out.print(text);
        Files.writeString(out.resolve("summary.txt"), text);
        ResultsCsv.write(table, out.resolve("results.csv"));
        RatioChart.write(table, out.resolve("ratios.png"), title);
        System.out.println();
        System.out.println("wrote " + out.resolve("results.csv") + " and " + out.resolve("ratios.png"));
    }
}
