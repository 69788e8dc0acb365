package dev.tributary.spark.offsets;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.junit.jupiter.api.Test;

class FilterBoundsTest {
    @Test
    void shouldTurnOffsetComparisonsIntoAHalfOpenRange() {
        FilterBounds b =
                FilterBounds.of(new Filter[] {new GreaterThan("offset", 10L), new LessThanOrEqual("offset", 20L)});
        assertThat(b.offsetFrom()).isEqualTo(11);
        assertThat(b.offsetUntil()).isEqualTo(21);
        assertThat(b.postScan()).isEmpty();
        assertThat(b.pushed()).hasSize(2);
    }

    @Test
    void shouldSelectPartitionsByEqualityInAndRange() {
        FilterBounds eq = FilterBounds.of(new Filter[] {new EqualTo("partition", 3)});
        assertThat(eq.includesPartition(3)).isTrue();
        assertThat(eq.includesPartition(2)).isFalse();
        FilterBounds in = FilterBounds.of(new Filter[] {
            new In("partition", new Object[] {1, 4}), new GreaterThanOrEqual("partition", 2)
        });
        assertThat(in.includesPartition(1)).isFalse();
        assertThat(in.includesPartition(4)).isTrue();
        FilterBounds lt = FilterBounds.of(new Filter[] {new LessThan("partition", 2)});
        assertThat(lt.includesPartition(1)).isTrue();
        assertThat(lt.includesPartition(2)).isFalse();
    }

    @Test
    void shouldRoundTimestampBoundsToWholeMillisecondsWithoutLosingRows() {
        Timestamp t = new Timestamp(1_000L);
        t.setNanos(500_000); // 1.0005 s
        FilterBounds b = FilterBounds.of(new Filter[] {
            new GreaterThanOrEqual("timestamp", t), new LessThan("timestamp", Instant.ofEpochMilli(5_000))
        });
        assertThat(b.timestampFrom()).isEqualTo(1_001); // a record at 1000 ms is before 1000.5 ms
        assertThat(b.timestampUntil()).isEqualTo(5_000);
        FilterBounds gt = FilterBounds.of(new Filter[] {
            new GreaterThan("timestamp", Instant.ofEpochMilli(2_000)),
            new LessThanOrEqual("timestamp", Instant.ofEpochMilli(3_000))
        });
        assertThat(gt.timestampFrom()).isEqualTo(2_001);
        assertThat(gt.timestampUntil()).isEqualTo(3_001);
    }

    @Test
    void shouldKeepTimestampFiltersForSparkToCheckAgain() {
        Filter f = new GreaterThan("timestamp", Instant.ofEpochMilli(2_000));
        FilterBounds b = FilterBounds.of(new Filter[] {f});
        assertThat(b.pushed()).containsExactly(f);
        assertThat(b.postScan()).containsExactly(f);
    }

    @Test
    void shouldLeaveFiltersOnOtherColumnsToSpark() {
        Filter other = new IsNotNull("value");
        Filter key = new EqualTo("key", new byte[] {1});
        FilterBounds b = FilterBounds.of(new Filter[] {other, key, new And(new EqualTo("offset", 5L), other)});
        assertThat(b.postScan()).contains(other, key);
        assertThat(b.offsetFrom()).isEqualTo(5);
        assertThat(b.offsetUntil()).isEqualTo(6);
    }
}
