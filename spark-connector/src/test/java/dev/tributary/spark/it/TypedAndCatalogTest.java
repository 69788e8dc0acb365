package dev.tributary.spark.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.serde.AvroSerializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed columns from the registry (valueFormat=avro) and the topic catalog. */
class TypedAndCatalogTest {
    static final Schema ORDER = new Schema.Parser().parse("""
      {"type":"record","name":"Order","namespace":"dev.tributary.test","fields":[
        {"name":"id","type":"long"},
        {"name":"customer","type":"string"},
        {"name":"amount","type":"double"}]}""");

    static SparkSession spark;
    static String topic;

    @BeforeAll
    static void setUp() {
        spark = SparkTestSession.get();
        topic = TestBroker.get().createTopic("orders", 2);
        produceOrders(topic, 0, 100);
        spark.conf().set("spark.sql.catalog.trib", "dev.tributary.spark.catalog.TributaryCatalog");
        spark.conf()
                .set(
                        "spark.sql.catalog.trib.tributary.bootstrap.servers",
                        TestBroker.get().bootstrap());
        spark.conf()
                .set(
                        "spark.sql.catalog.trib.schema.registry.url",
                        TestBroker.get().registryUrl());
    }

    /** Order i: customer "c" + (i % 4), amount i; registered under {@code <topic>-value} by the serde. */
    static void produceOrders(String topic, int from, int until) {
        AvroSerializer<GenericRecord> ser = new AvroSerializer<>();
        ser.configure(Map.of("schema.registry.url", TestBroker.get().registryUrl()), false);
        List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
        for (int i = from; i < until; i++) {
            GenericRecord r = new GenericData.Record(ORDER);
            r.put("id", (long) i);
            r.put("customer", "c" + (i % 4));
            r.put("amount", (double) i);
            records.add(new ProducerRecord<>(topic, i % 2, null, ser.serialize(topic, r)));
        }
        TestBroker.get().produce(records);
    }

    Dataset<Row> typed() {
        return spark.read()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribe", topic)
                .option("valueFormat", "avro")
                .option("schema.registry.url", TestBroker.get().registryUrl())
                .load();
    }

    @Test
    void shouldReadTypedValueColumnsFromTheRegistrySchema() {
        Dataset<Row> df = typed();
        StructType value = (StructType) df.schema().apply("value").dataType();
        assertThat(value.fieldNames()).containsExactly("id", "customer", "amount");
        Row r = df.where("value.customer = 'c1'")
                .selectExpr("count(*)", "sum(value.amount)", "max(value.id)")
                .first();
        assertThat(r.getLong(0)).isEqualTo(25);
        assertThat(r.getDouble(1)).isEqualTo(25 * 49.0); // 1 + 5 + ... + 97
        assertThat(r.getLong(2)).isEqualTo(97);
    }

    @Test
    void shouldWriteTypedColumnsAsRegistryFramedAvro() {
        String out = TestBroker.get().createTopic("orders-copy", 1);
        // the target subject starts with the same schema
        new dev.tributary.serde.CachingRegistryClient(TestBroker.get().registryUrl()).register(out + "-value", ORDER);
        typed().where("value.id < 10")
                .select("value")
                .write()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("topic", out)
                .option("valueFormat", "avro")
                .option("schema.registry.url", TestBroker.get().registryUrl())
                .mode("append")
                .save();
        List<ConsumerRecord<byte[], byte[]>> raw = TestBroker.get().readAll(out, 1);
        assertThat(raw).hasSize(10);
        assertThat(raw.get(0).value()[0]).as("Confluent magic byte").isEqualTo((byte) 0);
        Row sum = spark.read()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribe", out)
                .option("valueFormat", "avro")
                .option("schema.registry.url", TestBroker.get().registryUrl())
                .load()
                .selectExpr("sum(value.id)", "count(distinct value.customer)")
                .first();
        assertThat(sum.getLong(0)).isEqualTo(45);
        assertThat(sum.getLong(1)).isEqualTo(4);
    }

    @Test
    void shouldWriteWithGivenSchemasAndReadTypedKeysAndValuesBack() {
        String keyed = TestBroker.get().createTopic("keyed", 1);
        String keySchema =
                "{\"type\":\"record\",\"name\":\"OrderKey\",\"fields\":[{\"name\":\"id\",\"type\":\"long\"}]}";
        spark.range(5)
                .selectExpr(
                        "named_struct('id', id) AS key",
                        "named_struct('id', id, 'customer', concat('c', id), 'amount', cast(id AS double)) AS value")
                .write()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("topic", keyed)
                .option("schema.registry.url", TestBroker.get().registryUrl())
                .option("keyFormat", "avro")
                .option("keySchema", keySchema)
                .option("valueFormat", "avro")
                .option("valueSchema", ORDER.toString())
                .mode("append")
                .save();
        // the writes registered both subjects; the read takes the latest versions from the registry
        Dataset<Row> df = spark.read()
                .format("tributary")
                .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                .option("subscribe", keyed)
                .option("schema.registry.url", TestBroker.get().registryUrl())
                .option("keyFormat", "avro")
                .option("valueFormat", "avro")
                .load();
        assertThat(((StructType) df.schema().apply("key").dataType()).fieldNames())
                .containsExactly("id");
        Row r = df.selectExpr("sum(key.id)", "sum(value.amount)", "min(value.customer)")
                .first();
        assertThat(r.getLong(0)).isEqualTo(10);
        assertThat(r.getDouble(1)).isEqualTo(10.0);
        assertThat(r.getString(2)).isEqualTo("c0");
    }

    @Test
    void shouldRejectATypedWriteWhoseColumnsDoNotMatchTheSchema() {
        assertThatThrownBy(() -> spark.range(3)
                        .selectExpr("named_struct('nope', id) AS value")
                        .write()
                        .format("tributary")
                        .option("tributary.bootstrap.servers", TestBroker.get().bootstrap())
                        .option("topic", topic)
                        .option("valueFormat", "avro")
                        .option("schema.registry.url", TestBroker.get().registryUrl())
                        .mode("append")
                        .save())
                .hasMessageContaining("TRIBUTARY_INVALID_WRITE_SCHEMA")
                .hasMessageContaining(topic);
    }

    @Test
    void shouldListTopicsAsTypedTablesAndQueryThemWithoutDdl() {
        List<String> tables = spark.sql("SHOW TABLES IN trib").collectAsList().stream()
                .map(r -> r.getString(1))
                .toList();
        assertThat(tables).contains(topic).noneMatch(t -> t.startsWith("_"));
        Row r = spark.sql("SELECT count(*), sum(value.amount) FROM trib.`" + topic + "` WHERE value.customer = 'c2'")
                .first();
        assertThat(r.getLong(0)).isEqualTo(25);
        assertThat(r.getDouble(1)).isEqualTo(25 * 50.0); // 2 + 6 + ... + 98
    }

    @Test
    void shouldCreateWriteAndDropATopicThroughSql() throws Exception {
        String name = "sqltable" + System.nanoTime();
        spark.sql("CREATE TABLE trib." + name + " (value STRUCT<id: BIGINT, name: STRING>) "
                + "TBLPROPERTIES ('partitions' = '3', 'retention.ms' = '3600000')");
        assertThat(TestBroker.get()
                        .admin()
                        .describeTopics(List.of(name))
                        .allTopicNames()
                        .get(30, TimeUnit.SECONDS)
                        .get(name)
                        .partitions())
                .hasSize(3);
        spark.sql("INSERT INTO trib." + name + " SELECT named_struct('id', id, 'name', concat('n', id)) AS value "
                + "FROM range(20)");
        Row r = spark.sql("SELECT count(*), sum(value.id), max(value.name) FROM trib." + name)
                .first();
        assertThat(r.getLong(0)).isEqualTo(20);
        assertThat(r.getLong(1)).isEqualTo(190);
        assertThat(r.getString(2)).isEqualTo("n9");
        spark.sql("DROP TABLE trib." + name);
        assertThat(TestBroker.get().admin().listTopics().names().get(30, TimeUnit.SECONDS))
                .doesNotContain(name);
    }
}
