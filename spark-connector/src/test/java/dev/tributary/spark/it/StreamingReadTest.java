package dev.tributary.spark.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Micro-batch reads: rate limits, AvailableNow, checkpoint restart into a file sink, ending, data loss. */
class StreamingReadTest {
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        spark = SparkTestSession.get();
    }

    static void produce(String topic, int partitions, int from, int until, int valueBytes, long baseTs) {
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < until; i++) {
            byte[] value = new byte[valueBytes];
            Arrays.fill(value, (byte) 'x');
            byte[] id = Integer.toString(i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(id, 0, value, 0, Math.min(id.length, valueBytes));
            records.add(
                    new ProducerRecord<>(topic, i % partitions, baseTs < 0 ? null : baseTs + i * 1000L, null, value));
        }
        TestBroker.get().produce(records);
    }

    DataStreamReader stream(String topic) {
        return spark.readStream()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribe", topic)
                .option("startingOffsets", "earliest");
    }

    static List<Long> batchSizes(StreamingQuery q) {
        List<Long> out = new ArrayList<>();
        for (StreamingQueryProgress p : q.recentProgress()) {
            if (p.numInputRows() > 0) {
                out.add(p.numInputRows());
            }
        }
        return out;
    }

    static StreamingQuery runToEnd(Dataset<Row> df, String checkpoint, String sinkFormat, String path)
            throws Exception {
        StreamingQuery q = df.writeStream()
                .format(sinkFormat)
                .option("path", path)
                .option("checkpointLocation", checkpoint)
                .trigger(Trigger.AvailableNow())
                .start();
        assertThat(q.awaitTermination(120_000))
                .as("AvailableNow query ends by itself")
                .isTrue();
        return q;
    }

    @Test
    void shouldCapEveryMicroBatchAtMaxOffsetsPerTriggerAndStopWhenAvailableNowIsDone() throws Exception {
        String topic = TestBroker.get().createTopic("maxoffsets", 2);
        produce(topic, 2, 0, 100, 20, -1);
        Dataset<Row> df =
                stream(topic).option("maxOffsetsPerTrigger", "30").load().selectExpr("partition", "offset");
        StreamingQuery q = runToEnd(
                df, tmp.resolve("cp").toString(), "parquet", tmp.resolve("out").toString());
        List<Long> sizes = batchSizes(q);
        System.out.println("maxOffsetsPerTrigger=30 batch sizes: " + sizes);
        assertThat(sizes).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(30));
        assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
        assertThat(sizes).hasSize(4);
        assertThat(spark.read()
                        .parquet(tmp.resolve("out").toString())
                        .distinct()
                        .count())
                .isEqualTo(100);
        // source metrics: after the first batch 15 of each partition's 50 are read, after the last none are left
        List<Long> behind = new ArrayList<>();
        for (StreamingQueryProgress p : q.recentProgress()) {
            if (p.numInputRows() > 0) {
                behind.add(Long.parseLong(p.sources()[0].metrics().get("maxOffsetsBehindLatest")));
            }
        }
        assertThat(behind.get(0)).isEqualTo(35);
        assertThat(behind.get(behind.size() - 1)).isZero();
    }

    @Test
    void shouldCapEveryMicroBatchAtMaxBytesPerTrigger() throws Exception {
        String topic = TestBroker.get().createTopic("maxbytes", 1);
        produce(topic, 1, 0, 40, 100, -1);
        Dataset<Row> df =
                stream(topic).option("maxBytesPerTrigger", "1000").load().selectExpr("offset", "length(value) n");
        StreamingQuery q = runToEnd(
                df, tmp.resolve("cp").toString(), "parquet", tmp.resolve("out").toString());
        List<Long> sizes = batchSizes(q);
        System.out.println("maxBytesPerTrigger=1000 (100 B records) batch sizes: " + sizes);
        assertThat(sizes).allSatisfy(n -> assertThat(n * 100).isLessThanOrEqualTo(1000));
        assertThat(sizes.stream().mapToLong(Long::longValue).sum()).isEqualTo(40);
        assertThat(sizes).hasSize(4);
    }

    @Test
    void shouldRestartFromItsCheckpointWithoutLossOrDuplicatesInAFileSink() throws Exception {
        String topic = TestBroker.get().createTopic("restart", 2);
        String cp = tmp.resolve("cp").toString();
        String out = tmp.resolve("out").toString();
        produce(topic, 2, 0, 60, 20, -1);
        Dataset<Row> df = stream(topic)
                .option("maxOffsetsPerTrigger", "25")
                .load()
                .selectExpr("partition", "offset", "cast(value as string) v");
        runToEnd(df, cp, "parquet", out);
        assertThat(spark.read().parquet(out).count()).isEqualTo(60);

        produce(topic, 2, 60, 100, 20, -1);
        // a continuous query stopped after its first new batch, mid-backlog
        StreamingQuery running = df.writeStream()
                .format("parquet")
                .option("path", out)
                .option("checkpointLocation", cp)
                .trigger(Trigger.ProcessingTime(200))
                .start();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> !batchSizes(running).isEmpty());
        running.stop();
        long afterStop = spark.read().parquet(out).count();
        assertThat(afterStop).isBetween(61L, 100L);

        produce(topic, 2, 100, 120, 20, -1);
        runToEnd(df, cp, "parquet", out);
        Dataset<Row> all = spark.read().parquet(out);
        assertThat(all.count()).isEqualTo(120);
        assertThat(all.selectExpr("partition", "offset").distinct().count()).isEqualTo(120);
    }

    @Test
    void shouldStopTheQueryOnceEveryPartitionHasPassedTheEndingTimestamp() throws Exception {
        String topic = TestBroker.get().createTopic("ending", 2);
        long base = System.currentTimeMillis() - 3_600_000;
        produce(topic, 2, 0, 60, 20, base); // record i: partition i % 2, timestamp base + i s
        String out = tmp.resolve("out").toString();
        StreamingQuery q = stream(topic)
                .option("endingTimestamp", Long.toString(base + 40_000))
                .option("maxOffsetsPerTrigger", "15")
                .load()
                .selectExpr("partition", "offset", "timestamp")
                .writeStream()
                .format("parquet")
                .option("path", out)
                .option("checkpointLocation", tmp.resolve("cp").toString())
                .trigger(Trigger.ProcessingTime(100))
                .start();
        assertThat(q.awaitTermination(120_000))
                .as("query stops itself at the ending timestamp")
                .isTrue();
        assertThat(q.exception().isEmpty()).isTrue();
        Dataset<Row> rows = spark.read().parquet(out);
        // records 0..39 are before the end: 20 per partition
        assertThat(rows.count()).isEqualTo(40);
        assertThat(rows.where("timestamp >= cast(" + (base + 40_000) / 1000.0 + " as timestamp)")
                        .count())
                .isZero();
    }

    @Test
    void shouldFailWhenRetentionDeletesUnreadRecordsAndFailOnDataLossIsTrue() throws Exception {
        String[] t = lostRecordsAhead();
        Dataset<Row> df = stream(t[0]).load().selectExpr("offset");
        StreamingQuery q = df.writeStream()
                .format("parquet")
                .option("path", t[2])
                .option("checkpointLocation", t[1])
                .trigger(Trigger.AvailableNow())
                .start();
        assertThatThrownBy(() -> q.awaitTermination(120_000))
                .hasMessageContaining("TRIBUTARY_DATA_LOSS")
                .hasMessageContaining(t[0] + "-0");
    }

    @Test
    void shouldSkipRecordsDeletedByRetentionAndCountThemWhenFailOnDataLossIsFalse() throws Exception {
        String[] t = lostRecordsAhead();
        long logStart = Long.parseLong(t[3]);
        Dataset<Row> df = stream(t[0]).option("failOnDataLoss", "false").load().selectExpr("offset");
        StreamingQuery q = runToEnd(df, t[1], "parquet", t[2]);
        Dataset<Row> rows = spark.read().parquet(t[2]);
        assertThat(rows.count()).isEqualTo(50 + (200 - logStart));
        assertThat(rows.where("offset >= 50 AND offset < " + logStart).count()).isZero();
        long lost = Arrays.stream(q.recentProgress())
                .flatMap(p -> Arrays.stream(p.sources()))
                .mapToLong(s -> Long.parseLong(s.metrics().getOrDefault("offsetsLost", "0")))
                .max()
                .orElse(0);
        assertThat(lost).isEqualTo(logStart - 50);
    }

    /**
     * A stream reads offsets 0..49 of a one-partition topic; 150 more are produced and retention deletes
     * closed segments past offset 50 before the stream comes back. Returns topic, checkpoint, output path
     * and the new log start offset.
     */
    private String[] lostRecordsAhead() throws Exception {
        String topic = TestBroker.get().createTopic("loss", 1, Map.of("segment.bytes", "2048"));
        String cp = tmp.resolve("cp-" + UUID.randomUUID()).toString();
        String out = tmp.resolve("out-" + UUID.randomUUID()).toString();
        produce(topic, 1, 0, 50, 100, -1);
        runToEnd(stream(topic).load().selectExpr("offset"), cp, "parquet", out);
        assertThat(spark.read().parquet(out).count()).isEqualTo(50);
        // Ten records per produce call: one call of 150 could become one batch, and so one active segment that
        // retention never deletes, leaving the log start at 50 and the test waiting in vain.
        for (int from = 50; from < 200; from += 10) {
            produce(topic, 1, from, from + 10, 100, -1);
        }
        long logStart = TestBroker.get().expireByRetention(topic, new TopicPartition(topic, 0), 60);
        assertThat(logStart).isLessThan(200);
        return new String[] {topic, cp, out, Long.toString(logStart)};
    }
}
