package dev.tributary.spark.client;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The connector's defaults for its consumers and producers; user settings (tributary.*, kafka.*) win. */
public final class ClientConfigs {
    private ClientConfigs() {}

    public static Map<String, Object> consumer(Map<String, String> user) {
        Map<String, Object> c = new HashMap<>();
        // offsets are tracked by Spark's checkpoints, never by a consumer group
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // a missing offset is data loss, which the reader handles by policy instead of silently jumping
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
        // bigger fetches than the 1 MiB default: a task reads one partition sequentially
        c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(8 << 20));
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        c.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, Integer.toString(1 << 20));
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-spark-reader");
        for (Map.Entry<String, String> e : user.entrySet()) {
            if (ConsumerConfig.configNames().contains(e.getKey())) {
                c.put(e.getKey(), e.getValue());
            }
        }
        // never a group: partitions are assigned by the connector
        c.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return c;
    }

    public static Map<String, Object> producer(Map<String, String> user) {
        Map<String, Object> c = new HashMap<>();
        c.put(ProducerConfig.ACKS_CONFIG, "all");
        // The producer stays idempotent (kafka-clients' default), so a retried send inside one task is not
        // written twice; a retried task may still write its rows again, as at-least-once allows.
        c.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        c.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 << 10));
        c.put(ProducerConfig.CLIENT_ID_CONFIG, "tributary-spark-writer");
        for (Map.Entry<String, String> e : user.entrySet()) {
            if (ProducerConfig.configNames().contains(e.getKey())) {
                c.put(e.getKey(), e.getValue());
            }
        }
        return c;
    }
}
