package dev.tributary.spark.write;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * One thread-safe producer per executor and client settings, shared by every write
 * task with the same settings (a KafkaProducer is built for many threads; one per task would cost a
 * connection and metadata round trip per task). Closed at JVM exit.
 */
final class ProducerCache {
    private static final Map<Map<String, Object>, KafkaProducer<byte[], byte[]>> PRODUCERS = new HashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProducerCache::closeAll, "tributary-producer-close"));
    }

    private ProducerCache() {}

    static synchronized KafkaProducer<byte[], byte[]> get(Map<String, Object> config) {
        return PRODUCERS.computeIfAbsent(
                new HashMap<>(config),
                c -> new KafkaProducer<>(c, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** Drops a producer that failed so the next task starts a fresh one. */
    static synchronized void invalidate(Map<String, Object> config, KafkaProducer<byte[], byte[]> producer) {
        if (PRODUCERS.get(config) == producer) {
            PRODUCERS.remove(config);
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    static synchronized void closeAll() {
        PRODUCERS.values().forEach(p -> p.close(java.time.Duration.ofSeconds(5)));
        PRODUCERS.clear();
    }
}
