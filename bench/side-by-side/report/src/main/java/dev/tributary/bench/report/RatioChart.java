package dev.tributary.bench.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The PNG chart: for each metric (x axis), one bar per workload with its median Tributary/Kafka ratio, one for
 * the headline and one for the target where issue 8 sets one. Above 1.0 Tributary's figure is larger; whether
 * that is good depends on the metric (rec/s: yes; CPU, latency, RSS: no), which the axis title says.
 */
public final class RatioChart {
    private RatioChart() {}

    public static void write(RatioTable table, Path png, String title) throws IOException {
        List<Metric> metrics = new ArrayList<>(table.headlines().keySet());
        List<String> x = metrics.stream()
                .map(m -> m.label() + (m.better() == Metric.Better.HIGHER ? " (higher=better)" : ""))
                .toList();

        CategoryChart chart = new CategoryChartBuilder()
                .width(1600)
                .height(800)
                .title(title)
                .xAxisTitle("metric")
                .yAxisTitle("Tributary / Kafka (median over rounds)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(30);
        chart.getStyler().setAvailableSpaceFill(0.9);
        chart.getStyler().setOverlapped(false);

        for (String w : table.workloads()) {
            if (w.equals(Measurement.SESSION)) {
                continue; // session-wide figures (RSS) have one value, which is the headline bar
            }
            List<Double> y = new ArrayList<>();
            boolean any = false;
            for (Metric m : metrics) {
                double r = table.rows().stream()
                        .filter(row -> row.workload().equals(w) && row.metric() == m)
                        .mapToDouble(RatioTable.Row::ratioMedian)
                        .findFirst()
                        .orElse(Double.NaN);
                y.add(Double.isNaN(r) ? 0.0 : r);
                any |= !Double.isNaN(r);
            }
            if (any) {
                chart.addSeries(w, x, y);
            }
        }
        List<Double> headline = new ArrayList<>();
        List<Double> target = new ArrayList<>();
        for (Metric m : metrics) {
            double h = table.headlines().get(m).median();
            headline.add(Double.isNaN(h) ? 0.0 : h);
            target.add(m.target().orElse(0.0));
        }
        chart.addSeries("HEADLINE (geomean)", x, headline).setFillColor(Color.BLACK);
        chart.addSeries("target (issue 8)", x, target).setFillColor(Color.LIGHT_GRAY);
        chart.addAnnotation(new AnnotationLine(1.0, false, false)); // parity with Kafka
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
