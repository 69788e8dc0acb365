package dev.tributary.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tributary.bench.report.Measurement.Broker;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatioTableTest {
    private static Measurement m(Broker b, int round, String w, Metric metric, double v) {
        return new Measurement(b, round, w, metric, v);
    }

    @Test
    void shouldPairRatiosWithinTheSameRound() {
        RatioTable t = RatioTable.of(List.of(
                m(Broker.KAFKA, 1, "a", Metric.PRODUCE_RPS, 100), m(Broker.TRIBUTARY, 1, "a", Metric.PRODUCE_RPS, 150),
                m(Broker.KAFKA, 2, "a", Metric.PRODUCE_RPS, 200),
                        m(Broker.TRIBUTARY, 2, "a", Metric.PRODUCE_RPS, 200)));

        RatioTable.Row row = t.rowsFor("a").get(0);
        assertThat(row.ratio()).containsExactly(1.5, 1.0);
        assertThat(row.ratioMedian()).isEqualTo(1.25);
    }

    @Test
    void shouldTakeTheHeadlineAsMedianOverRoundsOfGeometricMeansOverWorkloads() {
        RatioTable t = RatioTable.of(List.of(
                m(Broker.KAFKA, 1, "a", Metric.CPU_S_PER_GIB, 1), m(Broker.TRIBUTARY, 1, "a", Metric.CPU_S_PER_GIB, 2),
                m(Broker.KAFKA, 1, "b", Metric.CPU_S_PER_GIB, 1),
                        m(Broker.TRIBUTARY, 1, "b", Metric.CPU_S_PER_GIB, 0.5),
                m(Broker.KAFKA, 2, "a", Metric.CPU_S_PER_GIB, 1), m(Broker.TRIBUTARY, 2, "a", Metric.CPU_S_PER_GIB, 4),
                m(Broker.KAFKA, 2, "b", Metric.CPU_S_PER_GIB, 1), m(Broker.TRIBUTARY, 2, "b", Metric.CPU_S_PER_GIB, 1),
                m(Broker.KAFKA, 3, "a", Metric.CPU_S_PER_GIB, 1), m(Broker.TRIBUTARY, 3, "a", Metric.CPU_S_PER_GIB, 9),
                m(Broker.KAFKA, 3, "b", Metric.CPU_S_PER_GIB, 1),
                        m(Broker.TRIBUTARY, 3, "b", Metric.CPU_S_PER_GIB, 1)));

        RatioTable.Headline h = t.headlines().get(Metric.CPU_S_PER_GIB);
        assertThat(h.geomeanByRound()[0]).isCloseTo(1.0, within(1e-9));
        assertThat(h.geomeanByRound()[1]).isCloseTo(2.0, within(1e-9));
        assertThat(h.geomeanByRound()[2]).isCloseTo(3.0, within(1e-9));
        assertThat(h.median()).isCloseTo(2.0, within(1e-9));
        assertThat(Metric.CPU_S_PER_GIB.meets(h.median())).contains(false);
    }

    @Test
    void shouldLeaveARoundOutWhenOneBrokerHasNoFigure() {
        RatioTable t = RatioTable.of(List.of(
                m(Broker.KAFKA, 1, "a", Metric.CONSUME_RPS, 100),
                m(Broker.KAFKA, 2, "a", Metric.CONSUME_RPS, 100),
                m(Broker.TRIBUTARY, 2, "a", Metric.CONSUME_RPS, 300)));

        RatioTable.Row row = t.rowsFor("a").get(0);
        assertThat(row.ratio()[0]).isNaN();
        assertThat(row.ratioMedian()).isEqualTo(3.0);
        assertThat(t.headlines().get(Metric.CONSUME_RPS).median()).isCloseTo(3.0, within(1e-9));
        assertThat(Metric.CONSUME_RPS.meets(3.0)).contains(true);
    }

    @Test
    void shouldSkipNotAvailableValuesAndNameTheLineOfABadOne() {
        assertThat(RawCsv.parse("kafka,1,a,produce_rps,NA", java.nio.file.Path.of("raw.csv"), 2))
                .isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> RawCsv.parse("kafka,1,a,no_such_metric,1", java.nio.file.Path.of("raw.csv"), 7))
                .hasMessageContaining("raw.csv:7")
                .hasMessageContaining("no_such_metric");
    }
}
