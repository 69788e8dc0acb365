package dev.tributary.flink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.flink.testing.TestBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** SQL through 'tributary' and 'upsert-tributary': formats, metadata columns, watermark push-down, upserts. */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TributaryTableITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    private static StreamTableEnvironment tableEnv() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        return StreamTableEnvironment.create(env);
    }

    private static List<Row> collect(TableResult result) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldReadJsonValuesWithMetadataColumns() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("sql-read", 1);
        broker.send(new ProducerRecord<>(
                topic,
                0,
                1_000L,
                utf8("k1"),
                utf8("{\"id\":1,\"name\":\"ada\"}"),
                List.of(new RecordHeader("trace", utf8("t-1")))));
        broker.send(new ProducerRecord<>(topic, 0, 2_000L, utf8("k2"), utf8("{\"id\":2,\"name\":\"bob\"}")));
        StreamTableEnvironment t = tableEnv();
        t.executeSql("CREATE TABLE people (id INT, name STRING,"
                + " `topic` STRING METADATA VIRTUAL, `partition` INT METADATA VIRTUAL,"
                + " `offset` BIGINT METADATA VIRTUAL, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
                + " tstype STRING METADATA FROM 'timestamp-type' VIRTUAL, hdrs MAP<STRING, BYTES> METADATA FROM 'headers'"
                + ") WITH ('connector'='tributary', 'topic'='" + topic + "',"
                + " 'properties.bootstrap.servers'='" + broker.bootstrapServers() + "', 'format'='json',"
                + " 'scan.startup.mode'='earliest-offset', 'scan.bounded.mode'='latest-offset')");
        List<Row> rows = collect(
                t.executeSql("SELECT id, name, `topic`, `partition`, `offset`, tstype, hdrs['trace'] FROM people"));
        assertThat(rows).hasSize(2);
        Row first =
                rows.stream().filter(r -> (int) r.getField(0) == 1).findFirst().orElseThrow();
        assertThat(first.getField(1)).isEqualTo("ada");
        assertThat(first.getField(2)).isEqualTo(topic);
        assertThat(first.getField(3)).isEqualTo(0);
        assertThat(first.getField(4)).isEqualTo(0L);
        assertThat(first.getField(5)).isEqualTo("CreateTime");
        assertThat(new String((byte[]) first.getField(6), StandardCharsets.UTF_8))
                .isEqualTo("t-1");
        List<Row> ts = collect(t.executeSql("SELECT id, ts FROM people"));
        assertThat(ts)
                .extracting(r -> ((java.time.Instant) r.getField(1)).toEpochMilli())
                .containsExactlyInAnyOrder(1_000L, 2_000L);
    }

    @Test
    void shouldWriteKeysValuesHeadersAndTimestampsThroughSql() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("sql-write", 2);
        StreamTableEnvironment t = tableEnv();
        t.executeSql("CREATE TABLE out_t (user_id STRING, clicks BIGINT,"
                + " hdrs MAP<STRING, BYTES> METADATA FROM 'headers', ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp'"
                + ") WITH ('connector'='tributary', 'topic'='" + topic + "',"
                + " 'properties.bootstrap.servers'='" + broker.bootstrapServers() + "',"
                + " 'key.format'='raw', 'key.fields'='user_id', 'value.format'='json',"
                + " 'value.fields-include'='EXCEPT_KEY')");
        t.executeSql("INSERT INTO out_t VALUES ('u1', 3, MAP['src', CAST('sql' AS BYTES)], TO_TIMESTAMP_LTZ(5000, 3)),"
                        + " ('u2', 7, MAP['src', CAST('sql' AS BYTES)], TO_TIMESTAMP_LTZ(6000, 3))")
                .await();
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic);
        assertThat(records).hasSize(2);
        Map<String, ConsumerRecord<byte[], byte[]>> byKey = new HashMap<>();
        records.forEach(r -> byKey.put(new String(r.key(), StandardCharsets.UTF_8), r));
        assertThat(new String(byKey.get("u1").value(), StandardCharsets.UTF_8)).isEqualTo("{\"clicks\":3}");
        assertThat(byKey.get("u1").timestamp()).isEqualTo(5_000L);
        assertThat(byKey.get("u2").timestamp()).isEqualTo(6_000L);
        assertThat(new String(byKey.get("u2").headers().lastHeader("src").value(), StandardCharsets.UTF_8))
                .isEqualTo("sql");
    }

    @Test
    void shouldPushTheWatermarkIntoTheSourceAndAggregateWindows() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("sql-wm", 2);
        for (int i = 0; i < 6; i++) {
            broker.send(new ProducerRecord<>(topic, i % 2, 1_000L * i, null, utf8("{\"page\":\"p" + (i % 3) + "\"}")));
        }
        StreamTableEnvironment t = tableEnv();
        t.executeSql("CREATE TABLE clicks (page STRING, ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp',"
                + " WATERMARK FOR ts AS ts - INTERVAL '1' SECOND"
                + ") WITH ('connector'='tributary', 'topic'='" + topic + "',"
                + " 'properties.bootstrap.servers'='" + broker.bootstrapServers() + "', 'format'='json',"
                + " 'scan.startup.mode'='earliest-offset', 'scan.bounded.mode'='latest-offset')");
        String query =
                "SELECT window_start, COUNT(*) AS n FROM TABLE(TUMBLE(TABLE clicks, DESCRIPTOR(ts), INTERVAL '2' SECOND))"
                        + " GROUP BY window_start, window_end";
        String plan = t.explainSql(query);
        assertThat(plan)
                .containsPattern("TableSourceScan\\(table=\\[\\[[^]]*clicks, metadata=\\[timestamp\\], watermark=\\[");
        List<Row> rows = collect(t.executeSql(query));
        assertThat(rows).extracting(r -> (Long) r.getField(1)).containsExactly(2L, 2L, 2L);
    }

    @Test
    void shouldMaterialiseUpsertsAndTombstonesFromACompactedTopic() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("sql-upsert", 1, Map.of("cleanup.policy", "compact"));
        StreamTableEnvironment t = tableEnv();
        t.executeSql("CREATE TABLE balances (id INT, amount BIGINT, PRIMARY KEY (id) NOT ENFORCED)"
                + " WITH ('connector'='upsert-tributary', 'topic'='" + topic + "',"
                + " 'properties.bootstrap.servers'='" + broker.bootstrapServers() + "',"
                + " 'key.format'='json', 'value.format'='json',"
                + " 'scan.startup.mode'='earliest-offset', 'scan.bounded.mode'='latest-offset')");
        t.executeSql("INSERT INTO balances VALUES (1, 10), (2, 20), (3, 30)").await();
        t.executeSql("INSERT INTO balances VALUES (1, 11)").await();
        broker.send(new ProducerRecord<>(topic, 0, utf8("{\"id\":2}"), null)); // tombstone: delete id 2
        Map<Integer, Long> table = new TreeMap<>();
        for (Row r : collect(t.executeSql("SELECT id, amount FROM balances"))) {
            if (r.getKind() == RowKind.INSERT || r.getKind() == RowKind.UPDATE_AFTER) {
                table.put((Integer) r.getField(0), (Long) r.getField(1));
            } else {
                table.remove((Integer) r.getField(0));
            }
        }
        assertThat(table).isEqualTo(Map.of(1, 11L, 3, 30L));
        // The record keys written by the upsert sink are the primary key in the key format.
        List<String> keys = broker.readAll(topic).stream()
                .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                .distinct()
                .toList();
        assertThat(keys).containsExactlyInAnyOrder("{\"id\":1}", "{\"id\":2}", "{\"id\":3}");
    }

    @Test
    void shouldRejectExactlyOnceAndAnUpsertTableWithoutPrimaryKey() {
        StreamTableEnvironment t = tableEnv();
        t.executeSql(
                "CREATE TABLE eo (a STRING) WITH ('connector'='tributary', 'topic'='x',"
                        + " 'properties.bootstrap.servers'='127.0.0.1:1', 'format'='json', 'sink.delivery-guarantee'='exactly-once')");
        assertThatThrownBy(() -> t.executeSql("INSERT INTO eo VALUES ('a')"))
                .rootCause()
                .hasMessageContaining("EXACTLY_ONCE")
                .hasMessageContaining("transactions");
        t.executeSql("CREATE TABLE nopk (a STRING) WITH ('connector'='upsert-tributary', 'topic'='x',"
                + " 'properties.bootstrap.servers'='127.0.0.1:1', 'key.format'='json', 'value.format'='json')");
        assertThatThrownBy(() -> t.executeSql("SELECT * FROM nopk").collect())
                .rootCause()
                .hasMessageContaining("PRIMARY KEY");
    }
}
