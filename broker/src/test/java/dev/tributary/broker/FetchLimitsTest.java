package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fetch byte limits: per partition and per response, with the first batch always returned. */
class FetchLimitsTest {
    private static TestBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = new TestBroker(java.util.Map.of("num.partitions", "2"));
        Properties p = broker.clientProps();
        p.put("enable.idempotence", "false");
        p.put("batch.size", "1"); // one record per batch
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("big", 0, null, new byte[200_000]))
                    .get();
            for (int partition = 0; partition < 2; partition++) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("small", partition, null, new byte[1000]))
                            .get();
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void shouldReturnABatchLargerThanBothLimitsToTheOfficialConsumer() {
        Properties p = broker.clientProps();
        p.put("max.partition.fetch.bytes", "1024");
        p.put("fetch.max.bytes", "1024");
        try (KafkaConsumer<byte[], byte[]> c =
                new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition("big", 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(15))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(1))
                    .pollInSameThread()
                    .until(() -> {
                        c.poll(Duration.ofMillis(200)).forEach(got::add);
                        return !got.isEmpty();
                    });
            assertThat(got).hasSize(1);
            assertThat(got.get(0).value()).hasSize(200_000);
        }
    }

    private static FetchResponseData fetch(int maxBytes, int partitionMaxBytes) throws Exception {
        List<FetchRequestData.FetchPartition> parts = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            parts.add(new FetchRequestData.FetchPartition()
                    .setPartition(partition)
                    .setFetchOffset(0)
                    .setPartitionMaxBytes(partitionMaxBytes));
        }
        try (RawClient c = new RawClient(broker.port())) {
            return c.send(
                    ApiKeys.FETCH,
                    (short) 12,
                    new FetchRequestData()
                            .setReplicaId(-1)
                            .setMaxWaitMs(0)
                            .setMinBytes(1)
                            .setMaxBytes(maxBytes)
                            .setTopics(List.of(new FetchRequestData.FetchTopic()
                                    .setTopic("small")
                                    .setPartitions(parts))));
        }
    }

    private static int bytes(FetchResponseData r, int partition) {
        return r.responses().get(0).partitions().get(partition).records().sizeInBytes();
    }

    @Test
    void shouldStopAddingPartitionsWhenTheResponseLimitIsReached() throws Exception {
        // each partition holds ten ~1 KiB batches; the response may carry about 1.5 partitions' worth
        FetchResponseData r = fetch(15_000, 1 << 20);
        assertThat(bytes(r, 0)).isBetween(10_000, 15_000);
        assertThat(bytes(r, 1)).isLessThanOrEqualTo(15_000 - bytes(r, 0));
        assertThat(bytes(r, 0) + bytes(r, 1)).isLessThanOrEqualTo(15_000);
    }

    @Test
    void shouldApplyThePartitionLimitToEveryPartition() throws Exception {
        FetchResponseData r = fetch(1 << 20, 3_500);
        assertThat(bytes(r, 0)).isBetween(1, 3_500);
        assertThat(bytes(r, 1)).isBetween(1, 3_500);
    }
}
