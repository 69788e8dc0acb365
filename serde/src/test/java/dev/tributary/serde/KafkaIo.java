package dev.tributary.serde;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain kafka-clients producer/consumer/admin calls the end-to-end tests share. */
final class KafkaIo {
    private KafkaIo() {}

    static void createTopic(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), Optional.empty())))
                    .all()
                    .get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + topic, e);
        }
    }

    /** Sends the values (null = tombstone) with keys "k0", "k1", ... and waits for every ack. */
    static <V> void produce(String bootstrap, String topic, Serializer<V> valueSerializer, List<V> values) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // These tests are about the serde, not the idempotent producer (InitProducerId), so leave it off.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(p, new StringSerializer(), valueSerializer)) {
            for (int i = 0; i < values.size(); i++) {
                producer.send(new ProducerRecord<>(topic, 0, "k" + i, values.get(i)))
                        .get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot produce to " + topic, e);
        }
    }

    static KafkaConsumer<String, Object> consumer(String bootstrap, String topic, Deserializer<?> valueDeserializer) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        @SuppressWarnings("unchecked")
        KafkaConsumer<String, Object> consumer =
                new KafkaConsumer<>(p, new StringDeserializer(), (Deserializer<Object>) valueDeserializer);
        TopicPartition tp = new TopicPartition(topic, 0);
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        return consumer;
    }

    /** Reads at least {@code count} values from the start of partition 0, within 30 s. */
    static List<Object> consume(String bootstrap, String topic, Deserializer<?> valueDeserializer, int count) {
        List<Object> out = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = consumer(bootstrap, topic, valueDeserializer)) {
            await(count + " values from " + topic)
                    .atMost(Duration.ofSeconds(30))
                    .pollInSameThread()
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        for (ConsumerRecord<String, Object> r : consumer.poll(Duration.ofMillis(200))) {
                            out.add(r.value());
                        }
                        return out.size() >= count;
                    });
        }
        return out;
    }

    static Map<String, Object> serdeConfig(String registryUrl, Object... keyValues) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put(AvroSerdeConfig.REGISTRY_URL, registryUrl);
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
