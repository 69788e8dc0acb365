package dev.tributary.examples.spark;

import dev.tributary.serde.AvroSerializer;
import dev.tributary.testing.EmbeddedBroker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where the examples get their data: the broker and registry given with {@code --bootstrap} and
 * {@code --registry}, or, by default, a Tributary broker started in this JVM with its schema registry and
 * a demo topic {@code orders} of Avro records (subject {@code orders-value}) spread over the last 24 hours.
 */
final class DemoBroker implements AutoCloseable {
    static final String TOPIC = "orders";
    static final int PARTITIONS = 3;
    static final long SEED = 42;
    static final Schema ORDER = new Schema.Parser().parse("""
      {"type":"record","name":"Order","namespace":"dev.tributary.examples","fields":[
        {"name":"id","type":"long"},
        {"name":"customer","type":"string"},
        {"name":"amount","type":"double"}]}""");

    final String bootstrap;
    final String registry;
    final long seededFromMs;
    final long seededUntilMs;
    private final EmbeddedBroker embedded;

    private DemoBroker(String bootstrap, String registry, EmbeddedBroker embedded, long from, long until) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        this.embedded = embedded;
        this.seededFromMs = from;
        this.seededUntilMs = until;
    }

    static DemoBroker fromArgs(Map<String, String> args, int records) throws Exception {
        if (args.containsKey("bootstrap")) {
            return new DemoBroker(args.get("bootstrap"), args.get("registry"), null, -1, -1);
        }
        EmbeddedBroker broker = EmbeddedBroker.builder().registry(true).start();
        long until = System.currentTimeMillis();
        long from = until - 24 * 3_600_000L;
        DemoBroker demo = new DemoBroker(broker.bootstrapServers(), broker.registryUrl(), broker, from, until);
        demo.seed(records);
        System.out.printf(
                "started Tributary at %s (registry %s); topic '%s': %d orders over the last 24 h%n",
                demo.bootstrap, demo.registry, TOPIC, records);
        return demo;
    }

    /** Orders with timestamps evenly over [now - 24 h, now), 20 customers, seeded amounts. */
    private void seed(int records) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1)))
                    .all()
                    .get();
        }
        AvroSerializer<GenericRecord> values = new AvroSerializer<>();
        values.configure(Map.of("schema.registry.url", registry), false);
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("linger.ms", "5");
        Random random = new Random(SEED);
        long step = (seededUntilMs - seededFromMs) / records;
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                GenericRecord order = new GenericData.Record(ORDER);
                String customer = "customer-" + (i % 20);
                order.put("id", (long) i);
                order.put("customer", customer);
                order.put("amount", Math.round(random.nextDouble() * 10_000) / 100.0);
                producer.send(new ProducerRecord<>(
                        TOPIC, null, seededFromMs + i * step, customer.getBytes(), values.serialize(TOPIC, order)));
            }
            producer.flush();
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            out.put(args[i].substring(2), args[++i]);
        }
        return out;
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }
}
