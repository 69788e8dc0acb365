package dev.tributary.examples.flink.bench;

import dev.tributary.flink.source.TributarySource;
import dev.tributary.serde.AvroSerdeConfig;
import dev.tributary.serde.AvroSerializer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.accumulators.LongMaximum;
import org.apache.flink.api.common.accumulators.LongMinimum;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The two halves of bench/flink/read-bench.sh.
 *
 * <pre>
 * ReadBench produce BOOTSTRAP TOPIC N SIZE raw|avro REGISTRY_URL PARTITIONS
 * ReadBench read tributary|kafka BOOTSTRAP TOPIC N PARALLELISM raw|avro REGISTRY_URL [PASSES]
 * </pre>
 *
 * produce: creates the topic and writes N values of SIZE bytes (raw: random bytes; avro: a one-field
 * record {@code {payload: bytes}} sized so the Confluent-framed value is SIZE bytes), lz4, acks=1.
 * read: a bounded job, earliest to latest, in a local MiniCluster; the same value deserializer and counting
 * operator for both connectors (raw: the bytes as they are; avro: Confluent frame + Avro decode against the
 * registry). PASSES (default 1) jobs run one after the other in the same JVM; each prints one {@code RESULT}
 * line (job time and first-to-last-record time). Exits 1 when any pass did not read exactly N records.
 */
public final class ReadBench {

    static final Schema PAYLOAD = new Schema.Parser()
            .parse("{\"type\":\"record\",\"name\":\"Payload\","
                    + "\"namespace\":\"bench\",\"fields\":[{\"name\":\"payload\",\"type\":\"bytes\"}]}");

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("produce") && args.length == 8) {
            produce(
                    args[1],
                    args[2],
                    Long.parseLong(args[3]),
                    Integer.parseInt(args[4]),
                    args[5],
                    args[6],
                    Integer.parseInt(args[7]));
        } else if (args.length > 0 && args[0].equals("read") && (args.length == 8 || args.length == 9)) {
            read(
                    args[1],
                    args[2],
                    args[3],
                    Long.parseLong(args[4]),
                    Integer.parseInt(args[5]),
                    args[6],
                    args[7],
                    args.length == 9 ? Integer.parseInt(args[8]) : 1);
        } else {
            System.err.println("usage: ReadBench produce BOOTSTRAP TOPIC N SIZE raw|avro REGISTRY PARTITIONS\n"
                    + "       ReadBench read tributary|kafka BOOTSTRAP TOPIC N PARALLELISM raw|avro REGISTRY [PASSES]");
            System.exit(2);
        }
    }

    static void produce(
            String bootstrap, String topic, long n, int size, String format, String registry, int partitions)
            throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)))
                    .all()
                    .get();
        }
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        p.put("acks", "1");
        p.put("compression.type", "lz4");
        p.put("batch.size", "262144");
        p.put("linger.ms", "5");
        Random random = new Random(1);
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            AvroSerializer<GenericRecord> avro = null;
            int payload = size;
            if (format.equals("avro")) {
                avro = new AvroSerializer<>();
                avro.configure(Map.of(AvroSerdeConfig.REGISTRY_URL, registry), false);
                payload = size - 5 - 2; // Confluent header, Avro length varint (2 bytes below 8 KiB)
            }
            byte[][] pool = new byte[64][];
            for (int i = 0; i < pool.length; i++) {
                byte[] b = new byte[payload];
                random.nextBytes(b);
                if (avro != null) {
                    GenericRecord r = new GenericData.Record(PAYLOAD);
                    r.put("payload", java.nio.ByteBuffer.wrap(b));
                    b = avro.serialize(topic, r);
                }
                pool[i] = b;
            }
            List<Future<?>> last = new ArrayList<>();
            for (long i = 0; i < n; i++) {
                Future<?> f = producer.send(new ProducerRecord<>(topic, null, pool[(int) (i & 63)]));
                if (i >= n - 16) {
                    last.add(f);
                }
            }
            producer.flush();
            for (Future<?> f : last) {
                f.get();
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "produced topic=%s records=%d size=%d format=%s seconds=%.1f rec_per_s=%.0f%n",
                topic, n, size, format, secs, n / secs);
    }

    static void read(
            String connector,
            String bootstrap,
            String topic,
            long n,
            int parallelism,
            String format,
            String registry,
            int passes)
            throws Exception {
        boolean ok = true;
        // -Dreadbench.cluster=shared: every pass is a job on one MiniCluster started once (a session cluster);
        // the default, per-job, starts a new MiniCluster for each pass.
        MiniCluster cluster = "shared".equals(System.getProperty("readbench.cluster", "per-job"))
                ? new MiniCluster(new MiniClusterConfiguration.Builder()
                        .setConfiguration(new Configuration())
                        .setNumTaskManagers(1)
                        .setNumSlotsPerTaskManager(parallelism)
                        .build())
                : null;
        try {
            if (cluster != null) {
                cluster.start();
            }
            for (int pass = 1; pass <= passes; pass++) {
                ok &= readOnce(connector, bootstrap, topic, n, parallelism, format, registry, pass, cluster);
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        System.exit(ok ? 0 : 1);
    }

    /**
     * One bounded job over the whole topic. Every pass is a new job: on a new MiniCluster (per-job, where only
     * the JVM's loaded classes and compiled code carry over), or on the one {@code cluster} (shared, as jobs on a
     * long-running session cluster).
     */
    static boolean readOnce(
            String connector,
            String bootstrap,
            String topic,
            long n,
            int parallelism,
            String format,
            String registry,
            int pass,
            MiniCluster cluster)
            throws Exception {
        StreamExecutionEnvironment env = cluster == null
                ? StreamExecutionEnvironment.createLocalEnvironment(parallelism, new Configuration())
                : StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(parallelism);
        DeserializationSchema<Integer> values =
                format.equals("avro") ? new AvroPayloadLength(registry) : new RawLength();
        // -Dreadbench.consumer.props=k=v,k=v: extra consumer settings for this side's source (A/B of defaults)
        Properties extra = new Properties();
        for (String kv : System.getProperty("readbench.consumer.props", "").split(",")) {
            if (kv.contains("=")) {
                extra.setProperty(
                        kv.substring(0, kv.indexOf('=')).trim(),
                        kv.substring(kv.indexOf('=') + 1).trim());
            }
        }
        Source<Integer, ?, ?> source;
        if (connector.equals("tributary")) {
            source = TributarySource.<Integer>builder()
                    .setBootstrapServers(bootstrap)
                    .setTopics(topic)
                    .setStartingOffsets(dev.tributary.flink.source.enumerator.OffsetsInitializer.earliest())
                    .setBounded(dev.tributary.flink.source.enumerator.OffsetsInitializer.latest())
                    .setProperties(extra)
                    .setValueOnlyDeserializer(values)
                    .build();
        } else {
            source = KafkaSource.<Integer>builder()
                    .setBootstrapServers(bootstrap)
                    .setTopics(topic)
                    .setGroupId("read-bench-" + System.nanoTime())
                    .setStartingOffsets(
                            org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer
                                    .earliest())
                    .setBounded(
                            org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer.latest())
                    .setProperty("commit.offsets.on.checkpoint", "false")
                    .setProperties(extra)
                    .setValueOnlyDeserializer(values)
                    .build();
        }
        env.fromSource(source, WatermarkStrategy.noWatermarks(), connector + "-source")
                .flatMap(new Count())
                .name("count")
                .returns(Types.INT)
                .sinkTo(new DiscardingSink<>())
                .name("discard");
        long submitMillis = System.currentTimeMillis();
        String name = "read-bench " + connector + " " + topic + " pass " + pass;
        JobExecutionResult result;
        if (cluster == null) {
            result = env.execute(name);
        } else {
            org.apache.flink.streaming.api.graph.StreamGraph graph = env.getStreamGraph();
            graph.setJobName(name);
            result = cluster.executeJobBlocking(graph.getJobGraph());
        }
        long doneMillis = System.currentTimeMillis();
        long records = result.getAccumulatorResult("records");
        long bytes = result.getAccumulatorResult("bytes");
        double secs = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
        // first record to last record, over all subtasks: the reading itself, without job start and end
        double readSecs =
                ((long) result.getAccumulatorResult("lastMillis") - (long) result.getAccumulatorResult("firstMillis"))
                        / 1000.0;
        System.out.printf(
                "RESULT connector=%s format=%s pass=%d records=%d value_bytes=%d job_s=%.3f job_rec_per_s=%.0f"
                        + " parallelism=%d read_s=%.3f read_rec_per_s=%.0f submit_to_first_s=%.3f last_to_done_s=%.3f%n",
                connector,
                format,
                pass,
                records,
                bytes,
                secs,
                records / secs,
                parallelism,
                readSecs,
                records / readSecs,
                ((long) result.getAccumulatorResult("firstMillis") - submitMillis) / 1000.0,
                (doneMillis - (long) result.getAccumulatorResult("lastMillis")) / 1000.0);
        if (records != n) {
            System.err.printf("MISMATCH: pass %d read %d records, expected %d%n", pass, records, n);
            return false;
        }
        return true;
    }

    /** Raw: the value's length (the bytes are not copied further). */
    static final class RawLength implements DeserializationSchema<Integer> {
        @Override
        public Integer deserialize(byte[] message) {
            return message.length;
        }

        @Override
        public boolean isEndOfStream(Integer next) {
            return false;
        }

        @Override
        public TypeInformation<Integer> getProducedType() {
            return Types.INT;
        }
    }

    /** Avro: Confluent frame, writer schema from the registry by id, full decode; emits the payload length. */
    static final class AvroPayloadLength implements DeserializationSchema<Integer> {
        private final String registry;
        private transient dev.tributary.serde.RegistryClient client;
        private transient Map<Integer, GenericDatumReader<GenericRecord>> readers;
        private transient BinaryDecoder decoder;
        private transient GenericRecord reuse;

        AvroPayloadLength(String registry) {
            this.registry = registry;
        }

        @Override
        public void open(InitializationContext context) {
            client = new dev.tributary.serde.CachingRegistryClient(registry);
            readers = new java.util.HashMap<>();
        }

        @Override
        public Integer deserialize(byte[] m) throws IOException {
            int id = ((m[1] & 0xFF) << 24) | ((m[2] & 0xFF) << 16) | ((m[3] & 0xFF) << 8) | (m[4] & 0xFF);
            GenericDatumReader<GenericRecord> reader =
                    readers.computeIfAbsent(id, i -> new GenericDatumReader<>(client.schemaById(i), PAYLOAD));
            decoder = DecoderFactory.get().binaryDecoder(m, 5, m.length - 5, decoder);
            reuse = reader.read(reuse, decoder);
            return ((java.nio.ByteBuffer) reuse.get("payload")).remaining();
        }

        @Override
        public boolean isEndOfStream(Integer next) {
            return false;
        }

        @Override
        public TypeInformation<Integer> getProducedType() {
            return Types.INT;
        }
    }

    /** Counts records and value bytes into accumulators; emits nothing. */
    static final class Count extends RichFlatMapFunction<Integer, Integer> {
        private final LongCounter records = new LongCounter();
        private final LongCounter bytes = new LongCounter();
        private final LongMinimum first = new LongMinimum();
        private final LongMaximum last = new LongMaximum();
        private long count;

        @Override
        public void open(OpenContext ctx) {
            getRuntimeContext().addAccumulator("records", records);
            getRuntimeContext().addAccumulator("bytes", bytes);
            getRuntimeContext().addAccumulator("firstMillis", first);
            getRuntimeContext().addAccumulator("lastMillis", last);
        }

        @Override
        public void flatMap(Integer length, Collector<Integer> out) {
            if (count++ == 0) {
                first.add(System.currentTimeMillis());
            }
            records.add(1L);
            bytes.add(length);
        }

        @Override
        public void close() {
            if (count > 0) {
                last.add(System.currentTimeMillis());
            }
        }
    }
}
