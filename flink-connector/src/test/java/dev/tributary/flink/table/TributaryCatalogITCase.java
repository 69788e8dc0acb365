package dev.tributary.flink.table;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.flink.testing.TestBroker;
import dev.tributary.serde.AvroSerdeConfig;
import dev.tributary.serde.AvroSerializer;
import dev.tributary.serde.CachingRegistryClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The catalog shows registry-typed topics as tables with no DDL; CREATE/DROP TABLE create and delete
 * topics; the 'tributary-avro' format reads values written by Tributary's Avro serializer.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TributaryCatalogITCase {

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(4)
            .build());

    static final Schema ORDER = new Schema.Parser()
            .parse(
                    "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"shop\","
                            + "\"fields\":[{\"name\":\"id\",\"type\":\"long\"},{\"name\":\"customer\",\"type\":\"string\"},"
                            + "{\"name\":\"amount\",\"type\":\"double\"},{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]}");

    private static StreamTableEnvironment tableEnv(TestBroker broker) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(1);
        StreamTableEnvironment t = StreamTableEnvironment.create(env);
        t.executeSql("CREATE CATALOG trib WITH ('type'='tributary', 'properties.bootstrap.servers'='"
                + broker.bootstrapServers() + "', 'registry.url'='" + broker.registryUrl() + "')");
        return t;
    }

    private static List<Row> collect(TableResult result) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    /** Writes orders the way a plain Kafka client application would: Tributary's Avro serializer, Confluent framing. */
    private static String produceOrders(TestBroker broker, int n) {
        String topic = "orders_" + Long.toHexString(System.nanoTime()); // no '-': a plain SQL identifier
        broker.createTopic(topic, 1);
        try (AvroSerializer<GenericRecord> ser = new AvroSerializer<>()) {
            ser.configure(Map.of(AvroSerdeConfig.REGISTRY_URL, broker.registryUrl()), false);
            for (int i = 0; i < n; i++) {
                GenericRecord r = new GenericData.Record(ORDER);
                r.put("id", (long) i);
                r.put("customer", "c" + (i % 2));
                r.put("amount", 10.0 * i);
                r.put("note", i == 0 ? "first" : null);
                broker.send(new ProducerRecord<>(topic, 0, 1_000L * i, null, ser.serialize(topic, r)));
            }
        }
        return topic;
    }

    @Test
    void shouldShowARegistryTypedTopicAsATableWithNoDdl() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = produceOrders(broker, 4);
        StreamTableEnvironment t = tableEnv(broker);
        List<String> tables = new ArrayList<>();
        collect(t.executeSql("SHOW TABLES IN trib.`default`")).forEach(r -> tables.add((String) r.getField(0)));
        assertThat(tables).contains(topic);
        List<Row> rows = collect(
                t.executeSql("SELECT id, customer, amount, note, record_offset, record_partition FROM trib.`default`."
                        + topic + " /*+ OPTIONS('scan.bounded.mode'='latest-offset') */"));
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).getField(0)).isEqualTo(0L);
        assertThat(rows.get(0).getField(1)).isEqualTo("c0");
        assertThat(rows.get(0).getField(3)).isEqualTo("first");
        assertThat(rows.get(3).getField(2)).isEqualTo(30.0);
        assertThat(rows.get(3).getField(3)).isNull();
        assertThat(rows).extracting(r -> r.getField(4)).containsExactly(0L, 1L, 2L, 3L);
        List<Row> star = collect(t.executeSql(
                "SELECT * FROM trib.`default`." + topic + " /*+ OPTIONS('scan.bounded.mode'='latest-offset') */"));
        assertThat(star).hasSize(4);
    }

    @Test
    void shouldCreateWriteReadAndDropATableThroughTheCatalog() throws Exception {
        TestBroker broker = TestBroker.shared();
        String orders = produceOrders(broker, 6);
        String totals = "totals_" + Long.toHexString(System.nanoTime());
        StreamTableEnvironment t = tableEnv(broker);
        t.executeSql("CREATE TABLE trib.`default`." + totals + " (customer STRING, total DOUBLE, orders BIGINT)");
        assertThat(broker.admin().listTopics().names().get()).contains(totals);
        // A window aggregate is append-only; the window uses the catalog's record_time watermark.
        t.executeSql("CREATE TEMPORARY VIEW bounded_orders AS SELECT * FROM trib.`default`." + orders
                + " /*+ OPTIONS('scan.bounded.mode'='latest-offset') */");
        t.executeSql("INSERT INTO trib.`default`." + totals
                        + " SELECT customer, SUM(amount), COUNT(*) FROM TABLE(TUMBLE("
                        + "TABLE bounded_orders, DESCRIPTOR(record_time), INTERVAL '1' MINUTE))"
                        + " GROUP BY customer, window_start, window_end")
                .await();
        Map<String, Double> last = new java.util.HashMap<>();
        for (Row r : collect(t.executeSql("SELECT customer, total FROM trib.`default`." + totals
                + " /*+ OPTIONS('scan.bounded.mode'='latest-offset') */"))) {
            last.put((String) r.getField(0), (Double) r.getField(1));
        }
        assertThat(last).isEqualTo(Map.of("c0", 0.0 + 20 + 40, "c1", 10.0 + 30 + 50));
        t.executeSql("DROP TABLE trib.`default`." + totals);
        assertThat(broker.admin().listTopics().names().get()).doesNotContain(totals);
        List<String> tables = new ArrayList<>();
        collect(t.executeSql("SHOW TABLES IN trib.`default`")).forEach(r -> tables.add((String) r.getField(0)));
        assertThat(tables).doesNotContain(totals).contains(orders);
        assertThat(new CachingRegistryClient(broker.registryUrl()).subjects()).doesNotContain(totals + "-value");

        // The name is free again: a new table of that name has its own columns, not the dropped one's.
        t.executeSql("CREATE TABLE trib.`default`." + totals + " (region STRING, orders INT)");
        assertThat(t.from("trib.`default`." + totals).getResolvedSchema().getColumnNames())
                .startsWith("region", "orders")
                .doesNotContain("customer", "total");
        t.executeSql("DROP TABLE trib.`default`." + totals);
    }

    @Test
    void shouldRoundTripRowsThroughTheTributaryAvroFormatInDdl() throws Exception {
        TestBroker broker = TestBroker.shared();
        String topic = broker.newTopic("avro-ddl", 1);
        StreamTableEnvironment t = tableEnv(broker);
        t.executeSql("CREATE TABLE events (k STRING, n INT, tags ARRAY<STRING>, happened TIMESTAMP(3)) WITH ("
                + "'connector'='tributary', 'topic'='" + topic + "', 'properties.bootstrap.servers'='"
                + broker.bootstrapServers()
                + "', 'key.format'='raw', 'key.fields'='k', 'value.format'='tributary-avro',"
                + " 'value.tributary-avro.url'='" + broker.registryUrl() + "', 'value.tributary-avro.subject'='" + topic
                + "-value',"
                + " 'scan.startup.mode'='earliest-offset', 'scan.bounded.mode'='latest-offset')");
        t.executeSql("INSERT INTO events VALUES ('a', 1, ARRAY['x','y'], TIMESTAMP '2026-01-01 00:00:00.123'),"
                        + " ('b', 2, ARRAY['z'], TIMESTAMP '2026-01-02 00:00:00')")
                .await();
        List<Row> rows = collect(t.executeSql("SELECT k, n, tags, happened FROM events"));
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).getField(0)).isEqualTo("a");
        assertThat(rows.get(0).getField(2)).isEqualTo(new String[] {"x", "y"});
        assertThat(rows.get(0).getField(3).toString()).isEqualTo("2026-01-01T00:00:00.123");
        // Every value is Confluent-framed: magic 0 then the id the registry gave the subject.
        byte[] value = broker.readAll(topic).get(0).value();
        assertThat(value[0]).isZero();
        assertThat(new String(broker.readAll(topic).get(0).key(), StandardCharsets.UTF_8))
                .isEqualTo("a");
    }
}
