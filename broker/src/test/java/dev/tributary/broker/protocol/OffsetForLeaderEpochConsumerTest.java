package dev.tributary.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.TestBroker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The official consumer once the broker advertises OffsetForLeaderEpoch: a group member that starts from an offset
 * committed with a leader epoch validates it with OffsetForLeaderEpoch before fetching, and must resume there.
 */
class OffsetForLeaderEpochConsumerTest {

    @Test
    void shouldResumeFromAnOffsetCommittedWithALeaderEpoch() throws Exception {
        try (TestBroker broker = new TestBroker(Map.of("num.partitions", "1"))) {
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(broker.clientProps(), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("t", 0, "k" + i, "v" + i))
                            .get();
                }
            }
            TopicPartition tp = new TopicPartition("t", 0);
            Properties p = broker.clientProps();
            p.put("group.id", "g");
            p.put("auto.offset.reset", "earliest");
            p.put("enable.auto.commit", "false");
            try (KafkaConsumer<String, String> c =
                    new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                c.assign(List.of(tp));
                c.commitSync(Map.of(tp, new OffsetAndMetadata(5, Optional.of(0), "")));
            }

            List<ConsumerRecord<String, String>> got = new ArrayList<>();
            try (KafkaConsumer<String, String> c =
                    new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
                c.subscribe(List.of("t"));
                await().atMost(Duration.ofSeconds(30))
                        .pollInSameThread()
                        .pollDelay(Duration.ZERO)
                        .until(() -> {
                            c.poll(Duration.ofMillis(200)).forEach(got::add);
                            return got.size() >= 5;
                        });
            }
            assertThat(got.get(0).offset()).isEqualTo(5);
            assertThat(got).hasSize(5);
        }
    }
}
