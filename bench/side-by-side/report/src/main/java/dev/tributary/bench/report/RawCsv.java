package dev.tributary.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the raw measurements run.sh appends to {@code raw.csv}: a header line
 * {@code broker,round,workload,metric,value}, then one measurement a line. A value of {@code NA} (a step that
 * failed or was not run) is skipped, so the ratio for that round is missing rather than wrong.
 */
public final class RawCsv {
    private RawCsv() {}

    public static List<Measurement> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        List<Measurement> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Measurement m = parse(line, file, i + 1);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    static Measurement parse(String line, Path file, int lineNo) {
        String[] f = line.split(",", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException(
                    file + ":" + lineNo + ": expected 5 fields, got " + f.length + ": '" + line + "'");
        }
        String value = f[4].trim();
        if (value.isEmpty() || value.equalsIgnoreCase("NA")) {
            return null;
        }
        try {
            return new Measurement(
                    Measurement.Broker.fromName(f[0]),
                    Integer.parseInt(f[1].trim()),
                    f[2].trim(),
                    Metric.fromKey(f[3].trim()),
                    Double.parseDouble(value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": " + e.getMessage() + ": '" + line + "'", e);
        }
    }
}
