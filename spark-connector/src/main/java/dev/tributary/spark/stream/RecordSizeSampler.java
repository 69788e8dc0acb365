package dev.tributary.spark.stream;

import dev.tributary.spark.client.ClientConfigs;
import dev.tributary.spark.offsets.PartitionOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Estimates bytes per record for {@code maxBytesPerTrigger}: the broker's offsets say how many records
 * are pending, not how big they are, so the driver reads one fetch at each partition's next offset and
 * averages key + value + header bytes. Estimates are cached and refreshed every
 * {@link #REFRESH_BATCHES} batches, since record sizes in a topic change slowly.
 */
final class RecordSizeSampler implements AutoCloseable {
    static final int REFRESH_BATCHES = 10;
    private static final int SAMPLE_RECORDS = 200;

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Double> estimates = new HashMap<>();
    private final Map<TopicPartition, Integer> age = new HashMap<>();

    RecordSizeSampler(Map<String, String> clientParams) {
        Map<String, Object> config = ClientConfigs.consumer(clientParams);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(SAMPLE_RECORDS));
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-spark-size-sampler");
        this.consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Average record bytes per partition that has pending records (those below latest). */
    Map<TopicPartition, Double> estimate(PartitionOffsets start, PartitionOffsets latest) {
        List<TopicPartition> stale = new ArrayList<>();
        for (TopicPartition tp : latest.partitions()) {
            long from = start.getOrDefault(tp, 0);
            int a = age.merge(tp, 1, Integer::sum);
            if (from < latest.get(tp) && (!estimates.containsKey(tp) || a > REFRESH_BATCHES)) {
                stale.add(tp);
            }
        }
        if (!stale.isEmpty()) {
            sample(stale, start);
        }
        return estimates;
    }

    private void sample(List<TopicPartition> partitions, PartitionOffsets start) {
        consumer.assign(partitions);
        for (TopicPartition tp : partitions) {
            consumer.seek(tp, start.getOrDefault(tp, 0));
        }
        Map<TopicPartition, long[]> sums = new HashMap<>(); // {bytes, records}
        long deadline = System.currentTimeMillis() + 5_000;
        while (sums.size() < partitions.size() && System.currentTimeMillis() < deadline) {
            ConsumerRecords<byte[], byte[]> records;
            try {
                records = consumer.poll(Duration.ofMillis(200));
            } catch (org.apache.kafka.clients.consumer.OffsetOutOfRangeException e) {
                break; // lost offsets are the data-loss policy's business, not the estimate's
            }
            for (TopicPartition tp : records.partitions()) {
                long[] s = sums.computeIfAbsent(tp, k -> new long[2]);
                for (ConsumerRecord<byte[], byte[]> r : records.records(tp)) {
                    s[0] += bytes(r);
                    s[1]++;
                }
                consumer.pause(List.of(tp));
            }
        }
        consumer.resume(consumer.paused());
        for (Map.Entry<TopicPartition, long[]> e : sums.entrySet()) {
            estimates.put(e.getKey(), (double) e.getValue()[0] / e.getValue()[1]);
            age.put(e.getKey(), 0);
        }
    }

    /** The bytes maxBytesPerTrigger counts: key, value and headers as stored. */
    static long bytes(ConsumerRecord<?, ?> r) {
        long n = Math.max(0, r.serializedKeySize()) + Math.max(0, r.serializedValueSize());
        for (Header h : r.headers()) {
            n += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return n;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(1));
    }
}
