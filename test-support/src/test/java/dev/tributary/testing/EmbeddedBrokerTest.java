package dev.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedBrokerTest {

    @Test
    void shouldServeOnAnEphemeralPortKeepDataAcrossRestartAndCleanUp() throws Exception {
        Path dir;
        try (EmbeddedBroker broker =
                EmbeddedBroker.builder().config("num.partitions", "2").start()) {
            dir = broker.dataDir();
            assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:").doesNotEndWith(":0");
            broker.createTopic("t", 3, Map.of("retention.ms", "60000"));
            Properties p = new Properties();
            p.put("bootstrap.servers", broker.bootstrapServers());
            p.put("enable.idempotence", "false");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("t", 2, "k", "v")).get();
            }
            int port = broker.port();
            broker.restart();
            assertThat(broker.port()).isEqualTo(port);
            Properties c = new Properties();
            c.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaConsumer<String, String> consumer =
                    new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
                TopicPartition tp = new TopicPartition("t", 2);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<ConsumerRecord<String, String>> got = new java.util.ArrayList<>();
                await("the record after the restart")
                        .atMost(Duration.ofSeconds(15))
                        .pollInSameThread()
                        .pollInterval(Duration.ZERO)
                        .until(() -> {
                            consumer.poll(Duration.ofMillis(200)).forEach(got::add);
                            return !got.isEmpty();
                        });
                assertThat(got).extracting(ConsumerRecord::value).containsExactly("v");
            }
            assertThatThrownBy(broker::registryUrl)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("registry");
        }
        assertThat(dir).doesNotExist();
    }
}
