package dev.tributary.examples.flink;

import dev.tributary.flink.source.TributaryRecordDeserializationSchema;
import dev.tributary.flink.source.TributarySource;
import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import dev.tributary.serde.AvroDeserializer;
import dev.tributary.serde.AvroSerdeConfig;
import dev.tributary.serde.AvroSerializer;
import dev.tributary.testing.EmbeddedBroker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * End to end on one machine, no setup:
 *
 * <ol>
 *   <li>starts a Tributary broker (with its schema registry) in this JVM;
 *   <li>writes a typed Avro click stream to topic {@code clicks} with Tributary's Avro serializer;
 *   <li>job 1 (SQL through the Tributary catalog, no DDL for the input): counts views per page in 10-second
 *       event-time windows and writes them to a new catalog table/topic {@code page_views}, then prints rows;
 *   <li>job 2 (DataStream, bounded backfill): reads {@code clicks} from a timestamp to the current end,
 *       cut into parallel pieces, and checks it read exactly the records at or after that timestamp.
 * </ol>
 */
public final class ClickStreamExample {

    static final Schema CLICK = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Click\",\"namespace\":\"shop\","
                    + "\"fields\":[{\"name\":\"user_id\",\"type\":\"string\"},{\"name\":\"page\",\"type\":\"string\"},"
                    + "{\"name\":\"duration_ms\",\"type\":\"int\"}]}");
    static final String[] PAGES = {"/home", "/search", "/product", "/cart", "/checkout"};
    static final long T0 = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
    static final int CLICKS = 600;
    static final long SPAN_MS = 60_000;

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42L;
        try (EmbeddedBroker broker = EmbeddedBroker.builder().registry(true).start()) {
            System.out.println(
                    "Tributary broker at " + broker.bootstrapServers() + ", registry at " + broker.registryUrl());
            broker.createTopic("clicks", 3, Map.of());
            long[] timestamps = produceClicks(broker, seed);
            System.out.printf(
                    "Wrote %d Avro clicks (seed %d) to topic 'clicks' over %s .. %s%n",
                    CLICKS, seed, Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + SPAN_MS));
            windowedPageViews(broker);
            backfill(broker, T0 + 45_000, timestamps);
        }
    }

    private static long[] produceClicks(EmbeddedBroker broker, long seed) {
        Random random = new Random(seed);
        long[] timestamps = new long[CLICKS];
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put(AvroSerdeConfig.REGISTRY_URL, broker.registryUrl());
        p.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
        p.put("value.serializer", AvroSerializer.class.getName());
        try (KafkaProducer<String, GenericRecord> producer = new KafkaProducer<>(p)) {
            for (int i = 0; i < CLICKS; i++) {
                GenericRecord click = new GenericData.Record(CLICK);
                String user = "u" + random.nextInt(40);
                click.put("user_id", user);
                click.put("page", PAGES[random.nextInt(PAGES.length)]);
                click.put("duration_ms", 100 + random.nextInt(5_000));
                timestamps[i] = T0 + (SPAN_MS * i) / CLICKS;
                producer.send(new ProducerRecord<>("clicks", null, timestamps[i], user, click));
            }
            producer.flush();
        }
        return timestamps;
    }

    /** Job 1: SQL over the catalog; the input table and its columns come from the registry. */
    private static void windowedPageViews(EmbeddedBroker broker) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        StreamTableEnvironment sql = StreamTableEnvironment.create(env);
        sql.executeSql("CREATE CATALOG tributary WITH ('type'='tributary', 'properties.bootstrap.servers'='"
                + broker.bootstrapServers() + "', 'registry.url'='" + broker.registryUrl()
                + "', 'watermark.delay'='1 s')");
        sql.executeSql("USE CATALOG tributary");
        System.out.println("\nTables in catalog 'tributary': "
                + collect(sql.executeSql("SHOW TABLES")).stream()
                        .map(r -> r.getField(0))
                        .toList());
        System.out.println("Columns of 'clicks', from subject clicks-value:");
        sql.executeSql("DESCRIBE clicks").print();

        sql.executeSql(
                "CREATE TABLE page_views (window_start TIMESTAMP(3), page STRING, view_count BIGINT, avg_duration_ms INT)");
        // The example's input is finite; a streaming job would drop the hint and run forever.
        sql.executeSql("CREATE TEMPORARY VIEW clicks_so_far AS"
                + " SELECT * FROM clicks /*+ OPTIONS('scan.bounded.mode'='latest-offset') */");
        sql.executeSql("INSERT INTO page_views"
                        + " SELECT window_start, page, COUNT(*), CAST(AVG(duration_ms) AS INT)"
                        + " FROM TABLE(TUMBLE(TABLE clicks_so_far, DESCRIPTOR(record_time), INTERVAL '10' SECOND))"
                        + " GROUP BY window_start, window_end, page")
                .await();

        List<Row> rows = collect(sql.executeSql("SELECT window_start, page, view_count, avg_duration_ms, record_offset"
                + " FROM page_views /*+ OPTIONS('scan.bounded.mode'='latest-offset') */"));
        rows.sort(Comparator.comparing((Row r) -> r.getField(0).toString()).thenComparing(r -> (String) r.getField(1)));
        long total = rows.stream().mapToLong(r -> (Long) r.getField(2)).sum();
        System.out.printf(
                "%nJob 1: %d rows in topic 'page_views' (views per page per 10 s window; %d views in total):%n",
                rows.size(), total);
        System.out.printf("  %-24s %-10s %6s %16s%n", "window_start", "page", "view_count", "avg_duration_ms");
        for (Row r : rows.subList(0, Math.min(10, rows.size()))) {
            System.out.printf("  %-24s %-10s %6d %16d%n", r.getField(0), r.getField(1), r.getField(2), r.getField(3));
        }
        System.out.println("  ...");
        sql.useCatalog("default_catalog");
        sql.executeSql("DROP CATALOG tributary"); // closes its admin client before the broker stops
        if (total != CLICKS) {
            throw new IllegalStateException("windows counted " + total + " clicks, expected " + CLICKS);
        }
    }

    /** Job 2: a bounded backfill from a timestamp, in parallel pieces of 50 offsets. */
    private static void backfill(EmbeddedBroker broker, long from, long[] timestamps) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        TributarySource<String> source = TributarySource.<String>builder()
                .setBootstrapServers(broker.bootstrapServers())
                .setTopics("clicks")
                .setStartingOffsets(OffsetsInitializer.timestamp(from))
                .setBounded(OffsetsInitializer.latest())
                .setBackfillSplitSize(50)
                .setDeserializer(new PageOfClick(broker.registryUrl()))
                .build();
        Map<String, Integer> perPage = new TreeMap<>();
        try (CloseableIterator<String> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "clicks backfill")
                .executeAndCollect()) {
            it.forEachRemaining(page -> perPage.merge(page, 1, Integer::sum));
        }
        long expected =
                java.util.Arrays.stream(timestamps).filter(ts -> ts >= from).count();
        int read = perPage.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
                "%nJob 2: backfill of 'clicks' from %s read %d records (expected %d, the clicks at or after it):%n",
                Instant.ofEpochMilli(from), read, expected);
        perPage.forEach((page, n) -> System.out.printf("  %-10s %4d%n", page, n));
        if (read != expected) {
            throw new IllegalStateException("backfill read " + read + " records, expected " + expected);
        }
    }

    /** Decodes a click with Tributary's Avro deserializer and keeps its page. */
    static final class PageOfClick implements TributaryRecordDeserializationSchema<String> {
        private final String registryUrl;
        private transient AvroDeserializer<GenericRecord> avro;

        PageOfClick(String registryUrl) {
            this.registryUrl = registryUrl;
        }

        @Override
        public void open(DeserializationSchema.InitializationContext context) {
            avro = new AvroDeserializer<>();
            avro.configure(Map.of(AvroSerdeConfig.REGISTRY_URL, registryUrl), false);
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<String> out) {
            out.collect(
                    avro.deserialize(record.topic(), record.value()).get("page").toString());
        }

        @Override
        public TypeInformation<String> getProducedType() {
            return Types.STRING;
        }
    }

    private static List<Row> collect(org.apache.flink.table.api.TableResult result) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> it = result.collect()) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}
