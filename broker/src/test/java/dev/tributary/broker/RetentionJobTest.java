package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.partition.Partition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The broker's scheduler runs core-log retention every log.retention.check.interval.ms. */
class RetentionJobTest {

    @Test
    void shouldDeleteExpiredSegmentsFromTheBackgroundJob() throws Exception {
        try (TestBroker broker = new TestBroker(Map.of("log.retention.check.interval.ms", "100"))) {
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.createTopics(List.of(new NewTopic("expiring", 1, (short) 1)
                                .configs(Map.of(
                                        "segment.bytes",
                                        "1024",
                                        "retention.ms",
                                        "60000",
                                        "file.delete.delay.ms",
                                        "0"))))
                        .all()
                        .get();
            }
            Properties p = broker.clientProps();
            p.put("enable.idempotence", "false");
            p.put("batch.size", "1");
            long old = System.currentTimeMillis() - 3_600_000; // an hour old: past retention.ms
            try (KafkaProducer<byte[], byte[]> producer =
                    new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int i = 0; i < 40; i++) {
                    producer.send(new ProducerRecord<>("expiring", 0, old, null, new byte[200]))
                            .get();
                }
                producer.send(new ProducerRecord<>("expiring", 0, System.currentTimeMillis(), null, new byte[200]))
                        .get();
            }
            Partition partition = broker.broker().services().partitions().get("expiring", 0);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(partition.logStartOffset())
                            .as("log start offset after retention")
                            .isGreaterThan(0));
            assertThat(partition.logEndOffset()).isEqualTo(41);
        }
    }
}
