package dev.tributary.spark.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Executor-wide cache of idle consumers, one per (client settings, topic-partition, which byte columns
 * are read). The driver gives every split of a topic-partition the same preferred executor, so the next
 * batch finds the consumer it left here: connection, fetch session and metadata are reused.
 *
 * <p>Thread-safe. A consumer is used by one task at a time: {@link #borrow} removes it, {@link #release}
 * puts it back, {@link #discard} closes it after an error. At most {@link #MAX_IDLE} idle consumers are
 * kept; the least recently released is closed first.
 */
public final class ConsumerPool {
    static final int MAX_IDLE = 32;

    public record Key(Map<String, Object> config, TopicPartition topicPartition, boolean keys, boolean values) {}

    private static final LinkedHashMap<Key, KafkaConsumer<byte[], byte[]>> IDLE = new LinkedHashMap<>();

    private ConsumerPool() {}

    public static KafkaConsumer<byte[], byte[]> borrow(Key key) {
        synchronized (IDLE) {
            KafkaConsumer<byte[], byte[]> c = IDLE.remove(key);
            if (c != null) {
                return c;
            }
        }
        return new KafkaConsumer<>(key.config(), bytes(key.keys()), bytes(key.values()));
    }

    public static void release(Key key, KafkaConsumer<byte[], byte[]> consumer) {
        List<KafkaConsumer<byte[], byte[]>> evicted = new ArrayList<>();
        synchronized (IDLE) {
            KafkaConsumer<byte[], byte[]> previous = IDLE.put(key, consumer);
            if (previous != null && previous != consumer) {
                evicted.add(previous);
            }
            while (IDLE.size() > MAX_IDLE) {
                Map.Entry<Key, KafkaConsumer<byte[], byte[]>> eldest =
                        IDLE.entrySet().iterator().next();
                evicted.add(eldest.getValue());
                IDLE.remove(eldest.getKey());
            }
        }
        evicted.forEach(ConsumerPool::closeQuietly);
    }

    public static void discard(KafkaConsumer<byte[], byte[]> consumer) {
        closeQuietly(consumer);
    }

    /** Closes every idle consumer (tests, shutdown). */
    public static void clear() {
        List<KafkaConsumer<byte[], byte[]>> all;
        synchronized (IDLE) {
            all = new ArrayList<>(IDLE.values());
            IDLE.clear();
        }
        all.forEach(ConsumerPool::closeQuietly);
    }

    private static void closeQuietly(KafkaConsumer<byte[], byte[]> c) {
        try {
            c.close(java.time.Duration.ofSeconds(1));
        } catch (RuntimeException ignored) {
            // closing an idle cached consumer; nothing to recover
        }
    }

    /** A column that is not read is not copied out of the fetch buffer either. */
    private static Deserializer<byte[]> bytes(boolean wanted) {
        return wanted ? new org.apache.kafka.common.serialization.ByteArrayDeserializer() : new Skip();
    }

    private static final class Skip implements Deserializer<byte[]> {
        @Override
        public byte[] deserialize(String topic, byte[] data) {
            return null;
        }

        @Override
        public byte[] deserialize(
                String topic, org.apache.kafka.common.header.Headers headers, java.nio.ByteBuffer data) {
            return null;
        }
    }
}
