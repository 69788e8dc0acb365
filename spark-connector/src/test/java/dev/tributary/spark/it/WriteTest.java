package dev.tributary.spark.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Batch and streaming writes, checked with a plain consumer. */
class WriteTest {
    static SparkSession spark;

    @TempDir
    Path tmp;

    @BeforeAll
    static void setUp() {
        spark = SparkTestSession.get();
    }

    static String str(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteKeysValuesHeadersAndPartitionsToTheTopicColumn() {
        String topic = TestBroker.get().createTopic("write", 3);
        Dataset<Row> df = spark.range(0, 300, 1, 3)
                .selectExpr(
                        "'" + topic + "' AS topic",
                        "cast(id AS string) AS key",
                        "cast(concat('v-', id) AS binary) AS value",
                        "cast(id % 3 AS int) AS partition",
                        "array(named_struct('key', 'h', 'value', cast(concat('hv-', id) AS binary))) AS headers");
        df.write()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .mode("append")
                .save();
        List<ConsumerRecord<byte[], byte[]>> records = TestBroker.get().readAll(topic, 3);
        assertThat(records).hasSize(300);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            long id = Long.parseLong(str(r.key()));
            assertThat(r.partition()).isEqualTo(id % 3);
            assertThat(str(r.value())).isEqualTo("v-" + id);
            assertThat(str(r.headers().lastHeader("h").value())).isEqualTo("hv-" + id);
        }
    }

    @Test
    void shouldPreferTheTopicOptionAndAcceptStringValues() {
        String topic = TestBroker.get().createTopic("write-opt", 1);
        spark.range(0, 50)
                .selectExpr("'no-such-topic' AS topic", "cast(id AS string) AS value")
                .write()
                .format("tributary")
                .option("kafka.bootstrap.servers", TestBroker.get().bootstrap())
                .option("topic", topic)
                .mode("append")
                .save();
        List<ConsumerRecord<byte[], byte[]>> records = TestBroker.get().readAll(topic, 1);
        assertThat(records).hasSize(50);
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isNull());
        assertThat(records.stream().map(r -> str(r.value())).sorted().toList())
                .isEqualTo(java.util.stream.LongStream.range(0, 50)
                        .mapToObj(Long::toString)
                        .sorted()
                        .toList());
    }

    @Test
    void shouldRejectAValueColumnOfTheWrongTypeNamingIt() {
        assertThatThrownBy(() -> spark.range(0, 5)
                        .selectExpr("id AS value")
                        .write()
                        .format("tributary")
                        .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                        .option("topic", "x")
                        .mode("append")
                        .save())
                .hasMessageContaining("TRIBUTARY_INVALID_WRITE_SCHEMA")
                .hasMessageContaining("'value'")
                .hasMessageContaining("bigint");
        assertThatThrownBy(() -> spark.range(0, 5)
                        .selectExpr("cast(id as string) AS value")
                        .write()
                        .format("tributary")
                        .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                        .mode("append")
                        .save())
                .hasMessageContaining("no topic column and no 'topic' option");
    }

    @Test
    void shouldLoseNothingWhenAWriteTaskIsKilledMidBatchAndRetried() {
        String topic = TestBroker.get().createTopic("write-retry", 2);
        // attempt 0 of task 0 dies after it has handed 100 of its 200 rows to the writer
        spark.udf()
                .register(
                        "dieOnce",
                        (UDF1<Long, Long>) id -> {
                            TaskContext tc = TaskContext.get();
                            if (tc.partitionId() == 0 && tc.attemptNumber() == 0 && id == 100) {
                                throw new IllegalStateException("task killed mid-batch (test)");
                            }
                            return id;
                        },
                        DataTypes.LongType);
        spark.range(0, 400, 1, 2)
                .selectExpr("cast(dieOnce(id) AS string) AS value")
                .write()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("topic", topic)
                .mode("append")
                .save();
        List<ConsumerRecord<byte[], byte[]>> records = TestBroker.get().readAll(topic, 2);
        Set<String> ids = new HashSet<>();
        records.forEach(r -> ids.add(str(r.value())));
        System.out.println("at-least-once retry: " + records.size() + " records, " + ids.size() + " distinct");
        assertThat(ids).hasSize(400);
        assertThat(records.size()).isGreaterThanOrEqualTo(400);
    }

    @Test
    void shouldWriteAStreamingAggregationInUpdateMode() throws Exception {
        String source = TestBroker.get().createTopic("agg-src", 2);
        String sink = TestBroker.get().createTopic("agg-dst", 1);
        StreamingReadTest.produce(source, 2, 0, 90, 10, -1);
        StreamingQuery q = spark.readStream()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribe", source)
                .option("startingOffsets", "earliest")
                .load()
                .groupBy("partition")
                .count()
                .selectExpr("cast(partition AS string) AS key", "cast(count AS string) AS value")
                .writeStream()
                .outputMode("update")
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("topic", sink)
                .option("checkpointLocation", tmp.resolve("cp").toString())
                .trigger(Trigger.AvailableNow())
                .start();
        assertThat(q.awaitTermination(120_000)).isTrue();
        java.util.Map<String, String> last = new java.util.HashMap<>();
        TestBroker.get().readAll(sink, 1).forEach(r -> last.put(str(r.key()), str(r.value())));
        assertThat(last).isEqualTo(java.util.Map.of("0", "45", "1", "45"));
    }

    @Test
    void shouldCopyATopicWithAStreamingWrite() throws Exception {
        String source = TestBroker.get().createTopic("stream-src", 2);
        String sink = TestBroker.get().createTopic("stream-dst", 2);
        StreamingReadTest.produce(source, 2, 0, 120, 30, -1);
        StreamingQuery q = spark.readStream()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribe", source)
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", "50")
                .load()
                .selectExpr("value", "partition")
                .writeStream()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("topic", sink)
                .option("checkpointLocation", tmp.resolve("cp").toString())
                .trigger(Trigger.AvailableNow())
                .start();
        assertThat(q.awaitTermination(120_000)).isTrue();
        List<ConsumerRecord<byte[], byte[]>> copied = TestBroker.get().readAll(sink, 2);
        assertThat(copied).hasSize(120);
        Set<String> values = new HashSet<>();
        copied.forEach(r -> values.add(str(r.value())));
        assertThat(values).hasSize(120);
    }
}
