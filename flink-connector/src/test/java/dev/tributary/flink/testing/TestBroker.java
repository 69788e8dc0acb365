package dev.tributary.flink.testing;

import static org.awaitility.Awaitility.await;

import dev.tributary.testing.BrokerUnderTest;
import dev.tributary.testing.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The one broker fixture of this module's tests: every test reaches the broker through here. What runs
 * behind it (Tributary's EmbeddedBroker by default, or another Kafka-protocol broker) is chosen by
 * test-support's {@link BrokerUnderTest} from {@code -Dtributary.test.broker}.
 *
 * <p>One broker per test JVM; tests isolate themselves with unique topic names from {@link #newTopic}.
 */
public final class TestBroker {

    private static TestBroker shared;
    private static final AtomicInteger TOPIC_SEQ = new AtomicInteger();

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
        Properties pp = new Properties();
        pp.put("bootstrap.servers", bootstrap);
        pp.put("key.serializer", ByteArraySerializer.class.getName());
        pp.put("value.serializer", ByteArraySerializer.class.getName());
        pp.put("linger.ms", "0");
        this.producer = new KafkaProducer<>(pp);
    }

    /** The broker shared by all tests of this JVM; stopped at JVM exit. */
    public static synchronized TestBroker shared() {
        if (shared == null) {
            shared = new TestBroker(BrokerUnderTest.start(EmbeddedBroker.builder()
                    .config("auto.create.topics.enable", "false")
                    // retention runs often so data-loss tests see it within a second
                    .config("log.retention.check.interval.ms", "200")
                    .registry(true)));
            TestBroker b = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(b::closeQuietly));
        }
        return shared;
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    /** The schema registry's base URL (Tributary hosts it in the broker). */
    public String registryUrl() {
        return broker.registryUrl();
    }

    public Admin admin() {
        return admin;
    }

    /** A fresh topic named {@code prefix-N-<nanos>} with {@code partitions} partitions. */
    public String newTopic(String prefix, int partitions) {
        return newTopic(prefix, partitions, Map.of());
    }

    public String newTopic(String prefix, int partitions, Map<String, String> configs) {
        String name = prefix + "-" + TOPIC_SEQ.incrementAndGet() + "-" + Long.toHexString(System.nanoTime());
        get(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs)))
                .all());
        return name;
    }

    /** A topic with exactly this name. */
    public void createTopic(String name, int partitions) {
        get(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                .all());
    }

    public void addPartitions(String topic, int totalPartitions) {
        get(admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(totalPartitions)))
                .all());
    }

    /**
     * Writes {@code count} records to one partition: key {@code k<i>}, value {@code <partition>-<i>} for
     * i in [from, from + count), timestamp {@code baseTs + i * tsStep}. Waits for every ack.
     */
    public void produce(String topic, int partition, int from, int count, long baseTs, long tsStep) {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            acks.add(producer.send(new ProducerRecord<>(
                    topic,
                    partition,
                    baseTs + i * tsStep,
                    ("k" + i).getBytes(StandardCharsets.UTF_8),
                    (partition + "-" + i).getBytes(StandardCharsets.UTF_8))));
        }
        producer.flush();
        for (java.util.concurrent.Future<?> f : acks) {
            try {
                f.get();
            } catch (InterruptedException | ExecutionException e) {
                throw new IllegalStateException("produce to " + topic + "-" + partition + " failed", e);
            }
        }
    }

    public void send(ProducerRecord<byte[], byte[]> record) {
        try {
            producer.send(record).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("produce to " + record.topic() + " failed", e);
        }
    }

    public void commit(String group, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetAndMetadata> m = new HashMap<>();
        offsets.forEach((tp, o) -> m.put(tp, new OffsetAndMetadata(o)));
        get(admin.alterConsumerGroupOffsets(group, m).all());
    }

    public Map<TopicPartition, OffsetAndMetadata> committed(String group) {
        return get(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
    }

    /** Moves the log start of a partition forward, as retention would. */
    public void deleteRecordsBefore(TopicPartition tp, long offset) {
        get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(offset)))
                .all());
    }

    public long startOffset(TopicPartition tp) {
        return get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all())
                .get(tp)
                .offset();
    }

    public long endOffset(TopicPartition tp) {
        return get(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all())
                .get(tp)
                .offset();
    }

    /** Every record of the topic, read with a plain consumer from the beginning to the current end. */
    public List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .toList();
            c.assign(tps);
            c.seekToBeginning(tps);
            Map<TopicPartition, Long> ends = c.endOffsets(tps);
            await("reading " + topic + " to " + ends)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        c.poll(Duration.ofMillis(200)).forEach(out::add);
                        return tps.stream().allMatch(tp -> c.position(tp) >= ends.get(tp));
                    });
        }
        return out;
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e.getCause() != null ? e.getCause().toString() : e.toString(), e);
        }
    }

    private void closeQuietly() {
        try {
            producer.close();
            admin.close();
            broker.close();
        } catch (Exception ignored) {
            // JVM is exiting
        }
    }
}
