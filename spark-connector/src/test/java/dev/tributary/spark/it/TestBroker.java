package dev.tributary.spark.it;

import static org.awaitility.Awaitility.await;

import dev.tributary.testing.BrokerUnderTest;
import dev.tributary.testing.EmbeddedBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one broker the Spark tests share. Which broker it is (Tributary's EmbeddedBroker by default, or
 * another Kafka-protocol broker) is chosen by test-support's {@link BrokerUnderTest} from
 * {@code -Dtributary.test.broker}.
 */
public final class TestBroker {
    private static TestBroker instance;

    private final BrokerUnderTest broker;
    private final String bootstrap;
    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;

    private TestBroker(BrokerUnderTest broker) {
        this.broker = broker;
        this.bootstrap = broker.bootstrapServers();
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        this.admin = Admin.create(p);
        Map<String, Object> pc = new HashMap<>();
        pc.put("bootstrap.servers", bootstrap);
        pc.put("linger.ms", "0");
        pc.put("acks", "all");
        this.producer = new KafkaProducer<>(pc, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static synchronized TestBroker get() {
        if (instance == null) {
            // retention runs every 200 ms so the data-loss tests see it promptly
            BrokerUnderTest broker = BrokerUnderTest.start(EmbeddedBroker.builder()
                    .config("log.retention.check.interval.ms", "200")
                    .registry(true));
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "test-broker-close"));
            instance = new TestBroker(broker);
        }
        return instance;
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** The schema registry's URL (the embedded broker hosts one). */
    public String registryUrl() {
        return broker.registryUrl();
    }

    public Admin admin() {
        return admin;
    }

    /** Creates a topic with a unique name from {@code prefix}. */
    public String createTopic(String prefix, int partitions, Map<String, String> configs) {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("create topic " + name, e);
        }
        return name;
    }

    public String createTopic(String prefix, int partitions) {
        return createTopic(prefix, partitions, Map.of());
    }

    /** Sends and waits for every acknowledgement. */
    public void produce(List<ProducerRecord<byte[], byte[]>> records) {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (ProducerRecord<byte[], byte[]> r : records) {
            acks.add(producer.send(r));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> f : acks) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("produce", e);
            }
        }
    }

    /** Removes every record before {@code offset}, as retention would. */
    public void deleteRecordsBefore(TopicPartition tp, long offset) {
        try {
            admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(offset)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("delete records of " + tp + " before " + offset, e);
        }
    }

    /**
     * Lets retention delete every closed segment of {@code topic} (retention.ms=1) and waits until the
     * log start offset of {@code tp} has passed {@code offset}; returns the new log start offset.
     */
    public long expireByRetention(String topic, TopicPartition tp, long offset) {
        try {
            admin.incrementalAlterConfigs(Map.of(
                            new org.apache.kafka.common.config.ConfigResource(
                                    org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic),
                            List.of(new org.apache.kafka.clients.admin.AlterConfigOp(
                                    new org.apache.kafka.clients.admin.ConfigEntry("retention.ms", "1"),
                                    org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("expire " + tp + " before " + offset, e);
        }
        return await("retention deleting " + tp + " past " + offset)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(
                        () -> admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest()))
                                .all()
                                .get(30, TimeUnit.SECONDS)
                                .get(tp)
                                .offset(),
                        start -> start > offset);
    }

    /** Every record of a topic, read with a plain consumer (independent of the connector). */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partitions) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", bootstrap);
        c.put("auto.offset.reset", "earliest");
        c.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                tps.add(new TopicPartition(topic, p));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            await("reading " + topic + " to " + end)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        if (tps.stream().allMatch(tp -> consumer.position(tp) >= end.get(tp))) {
                            return true;
                        }
                        consumer.poll(Duration.ofMillis(200)).forEach(out::add);
                        return false;
                    });
        }
        return out;
    }
}
