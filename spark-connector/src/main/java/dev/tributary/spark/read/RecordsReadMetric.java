package dev.tributary.spark.read;

import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/** SQL metric "records read from the broker": shows how much a pushed-down filter saved. */
public final class RecordsReadMetric extends CustomSumMetric {
    public static final String NAME = "tributaryRecordsRead";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "records read from the broker";
    }

    static CustomTaskMetric value(long n) {
        return new CustomTaskMetric() {
            @Override
            public String name() {
                return NAME;
            }

            @Override
            public long value() {
                return n;
            }
        };
    }
}
