package dev.tributary.spark.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** Batch reads: every start and end mode with exact counts, splits, push-down, headers. */
class BatchReadTest {
    static final long BASE = 1_700_000_000_000L;
    static final int PER_PARTITION = 100;
    static String topic;
    static SparkSession spark;

    @BeforeAll
    static void setUp() {
        spark = SparkTestSession.get();
        topic = TestBroker.get().createTopic("batch", 2);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            for (int i = 0; i < PER_PARTITION; i++) {
                ProducerRecord<byte[], byte[]> r =
                        new ProducerRecord<>(topic, p, BASE + i * 1000L, bytes("k-" + i), bytes("v-" + p + "-" + i));
                r.headers().add(new RecordHeader("h", bytes("hv-" + i)));
                records.add(r);
            }
        }
        TestBroker.get().produce(records);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    DataFrameReader read() {
        return spark.read()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribe", topic);
    }

    @Test
    void shouldReadEverythingFromEarliestToLatest() {
        Dataset<Row> df = read().load();
        // binary columns are read column by column; headers need the row reader
        assertThat(df.queryExecution().executedPlan().toString()).contains("ColumnarToRow");
        assertThat(read().option("includeHeaders", "true")
                        .load()
                        .queryExecution()
                        .executedPlan()
                        .toString())
                .doesNotContain("ColumnarToRow");
        assertThat(df.count()).isEqualTo(200);
        Row first = df.where("partition = 1 AND offset = 7").collectAsList().get(0);
        assertThat(new String((byte[]) first.getAs("value"), StandardCharsets.UTF_8))
                .isEqualTo("v-1-7");
        assertThat(new String((byte[]) first.getAs("key"), StandardCharsets.UTF_8))
                .isEqualTo("k-7");
        assertThat(first.<java.sql.Timestamp>getAs("timestamp").getTime()).isEqualTo(BASE + 7000);
        assertThat(first.<Integer>getAs("timestampType")).isEqualTo(0);
        assertThat(first.<String>getAs("topic")).isEqualTo(topic);
    }

    @Test
    void shouldReadNothingFromLatest() {
        assertThat(read().option("startingOffsets", "latest").load().count()).isZero();
    }

    @Test
    void shouldReadSpecificOffsetRangesWithEarliestAndLatestMarkers() {
        String start = "{\"" + topic + "\":{\"0\":10,\"1\":-2}}";
        String end = "{\"" + topic + "\":{\"0\":50,\"1\":-1}}";
        Dataset<Row> df = read().option("startingOffsets", start)
                .option("endingOffsets", end)
                .load();
        assertThat(df.count()).isEqualTo(40 + 100);
        assertThat(df.where("partition = 0")
                        .agg(org.apache.spark.sql.functions.min("offset"))
                        .first()
                        .getLong(0))
                .isEqualTo(10);
    }

    @Test
    void shouldReadBetweenGlobalTimestamps() {
        Dataset<Row> df = read().option("startingTimestamp", Long.toString(BASE + 50_000))
                .option("endingTimestamp", Long.toString(BASE + 80_000))
                .load();
        // offsets 50..79 in each partition
        assertThat(df.count()).isEqualTo(60);
    }

    @Test
    void shouldReadBetweenPerPartitionTimestamps() {
        String start = "{\"" + topic + "\":{\"0\":" + (BASE + 10_000) + ",\"1\":" + (BASE + 90_000) + "}}";
        String end = "{\"" + topic + "\":{\"0\":" + (BASE + 20_500) + "}}";
        Dataset<Row> df = read().option("startingOffsetsByTimestamp", start)
                .option("endingOffsetsByTimestamp", end)
                .load();
        // partition 0: 10..20 (first ts >= +20.5 s is offset 21); partition 1: 90..99 (end defaults to latest)
        assertThat(df.count()).isEqualTo(11 + 10);
    }

    @Test
    void shouldFailOrStartAtLatestWhenNoRecordMatchesTheStartingTimestamp() {
        DataFrameReader r = read().option("startingTimestamp", Long.toString(BASE + 1_000_000));
        assertThatThrownBy(() -> r.load().count()).hasMessageContaining("TRIBUTARY_NO_OFFSET_FOR_TIMESTAMP");
        assertThat(r.option("startingOffsetsByTimestampStrategy", "latest")
                        .load()
                        .count())
                .isZero();
    }

    @Test
    void shouldReadAssignedPartitionsAndPatternSubscriptions() {
        Dataset<Row> assigned = spark.read()
                .format("tributary")
                .option("kafka.bootstrap.servers", TestBroker.get().bootstrap())
                .option("assign", "{\"" + topic + "\":[1]}")
                .load();
        assertThat(assigned.count()).isEqualTo(100);
        Dataset<Row> pattern = spark.read()
                .format("tributary")
                .option("kafka.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribePattern", java.util.regex.Pattern.quote(topic))
                .load();
        assertThat(pattern.count()).isEqualTo(200);
    }

    @Test
    void shouldReturnTheSameRowsWhetherSplitOrNot() {
        Dataset<Row> split = read().option("maxRecordsPerPartition", "7")
                .option("minPartitions", "5")
                .load();
        Dataset<Row> whole = read().load();
        assertThat(split.rdd().getNumPartitions()).isEqualTo(30); // ceil(100 / 7) = 15 per topic-partition
        assertThat(whole.rdd().getNumPartitions()).isEqualTo(2);
        List<String> a = rows(split);
        List<String> b = rows(whole);
        assertThat(a).hasSize(200).isEqualTo(b);
    }

    @Test
    void shouldSplitForMinPartitions() {
        Dataset<Row> split = read().option("minPartitions", "8").load();
        assertThat(split.rdd().getNumPartitions()).isEqualTo(8);
        assertThat(rows(split)).isEqualTo(rows(read().load()));
    }

    private static List<String> rows(Dataset<Row> df) {
        return df.selectExpr("partition", "offset", "cast(value as string) v").collectAsList().stream()
                .map(r -> r.getInt(0) + "/" + r.getLong(1) + "/" + r.getString(2))
                .sorted()
                .collect(Collectors.toList());
    }

    @Test
    void shouldPushPartitionAndOffsetFiltersIntoTheScan() {
        Dataset<Row> df = read().load().where("partition = 1 AND offset >= 20 AND offset < 30");
        String plan = df.queryExecution().executedPlan().toString();
        assertThat(plan).contains("PushedFilters").contains("offset in [20,30)").contains("PlannedOffsets: 10");
        assertThat(df.count()).isEqualTo(10);
        assertThat(recordsRead(df)).isEqualTo(10);
        Dataset<Row> all = read().load().where("value is not null");
        assertThat(all.count()).isEqualTo(200);
        assertThat(recordsRead(all)).isEqualTo(200);
    }

    @Test
    void shouldTurnTimestampFiltersIntoOffsetsThroughTheTimeIndex() {
        java.sql.Timestamp from = new java.sql.Timestamp(BASE + 30_000);
        java.sql.Timestamp until = new java.sql.Timestamp(BASE + 40_000);
        Dataset<Row> df = read().load()
                .where(org.apache
                        .spark
                        .sql
                        .functions
                        .col("timestamp")
                        .geq(from)
                        .and(org.apache.spark.sql.functions.col("timestamp").lt(until)));
        assertThat(df.queryExecution().executedPlan().toString())
                .contains("timestamp in [")
                .contains("PlannedOffsets: 20");
        assertThat(df.count()).isEqualTo(20);
        assertThat(recordsRead(df)).isEqualTo(20);
    }

    @Test
    void shouldReadHeadersWhenAsked() {
        Row r = read().option("includeHeaders", "true")
                .load()
                .where("partition = 0 AND offset = 3")
                .selectExpr("headers[0].key", "cast(headers[0].value as string)")
                .first();
        assertThat(r.getString(0)).isEqualTo("h");
        assertThat(r.getString(1)).isEqualTo("hv-3");
    }

    @Test
    void shouldApplyTheDataLossPolicyWhenRecordsVanishBetweenPlanningAndReading() {
        String lossy = TestBroker.get().createTopic("batch-loss", 1);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            records.add(new ProducerRecord<>(lossy, 0, null, bytes("v" + i)));
        }
        TestBroker.get().produce(records);
        DataFrameReader r = spark.read()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribe", lossy);
        Dataset<Row> strict = r.load().select("offset");
        Dataset<Row> lenient = r.option("failOnDataLoss", "false").load().select("offset");
        // plan both scans (ranges [0, 100)), then delete the first 40 records before any task runs
        assertThat(strict.queryExecution().executedPlan().toString()).contains("PlannedOffsets: 100");
        assertThat(lenient.queryExecution().executedPlan().toString()).contains("PlannedOffsets: 100");
        TestBroker.get().deleteRecordsBefore(new org.apache.kafka.common.TopicPartition(lossy, 0), 40);
        assertThatThrownBy(strict::collectAsList)
                .hasMessageContaining("TRIBUTARY_DATA_LOSS")
                .hasMessageContaining(lossy + "-0")
                .hasMessageContaining("[0, 40)");
        List<Row> rows = lenient.collectAsList();
        assertThat(rows).hasSize(60);
        assertThat(rows.stream().mapToLong(x -> x.getLong(0)).min().getAsLong()).isEqualTo(40);
    }

    @Test
    void shouldRejectAQueryWithoutSubscription() {
        assertThatThrownBy(() -> spark.read()
                        .format("tributary")
                        .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                        .load()
                        .count())
                .hasMessageContaining("TRIBUTARY_INVALID_OPTION");
    }

    /** Runs the query and sums the connector's records-read metric over its scans. */
    static long recordsRead(Dataset<Row> df) {
        df.collectAsList();
        SparkPlan plan = df.queryExecution().executedPlan();
        long sum = 0;
        for (SparkPlan p : CollectionConverters.asJava(
                plan.collectWithSubqueries(new scala.PartialFunction<SparkPlan, SparkPlan>() {
                    @Override
                    public boolean isDefinedAt(SparkPlan x) {
                        return x instanceof BatchScanExec;
                    }

                    @Override
                    public SparkPlan apply(SparkPlan x) {
                        return x;
                    }
                }))) {
            sum += (Long) p.metrics().apply("tributaryRecordsRead").value();
        }
        return sum;
    }
}
