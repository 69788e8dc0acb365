package dev.tributary.registry.store;

import dev.tributary.registry.RegistryError;
import dev.tributary.registry.RegistryException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
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
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry's entries in the compacted topic {@code _schemas} (one partition), as Confluent's
 * registry does, using only kafka-clients: an Admin creates the topic with {@code cleanup.policy=compact},
 * a producer with {@code acks=all} writes, and a consumer in assign mode reads the partition from the start
 * on a thread of its own and keeps tailing it.
 *
 * <p>A write is acknowledged to the caller only after the reader thread has applied it, so the in-memory
 * state always equals a prefix of the topic and a restart rebuilds exactly what was acknowledged.
 * Unreadable records are logged with their offset and skipped, so one bad record cannot stop the registry.
 */
public final class KafkaRegistryStore implements RegistryStore {
    public static final String DEFAULT_TOPIC = "_schemas";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRegistryStore.class);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;
    private final TopicPartition partition;
    private KafkaProducer<byte[], byte[]> producer;
    private Thread reader;
    private volatile boolean running;
    private volatile RuntimeException readerFailure;
    /** Next offset the reader will apply; writes wait for it to pass their own offset. */
    private long appliedPosition;

    public KafkaRegistryStore(String bootstrapServers) {
        this(bootstrapServers, DEFAULT_TOPIC, Duration.ofSeconds(30));
    }

    public KafkaRegistryStore(String bootstrapServers, String topic, Duration timeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.timeout = timeout;
        this.partition = new TopicPartition(topic, 0);
    }

    @Override
    public void start(Consumer<StoreRecord> listener) {
        createTopic();
        producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
        running = true;
        reader = new Thread(() -> readLoop(consumer, listener), "tributary-registry-reader");
        reader.setDaemon(true);
        reader.start();
        awaitApplied(end, "reading " + topic + " to its end offset " + end);
        LOG.info("schema registry store loaded {} up to offset {}", topic, end);
    }

    private void createTopic() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-registry-admin");
        try (Admin admin = Admin.create(props)) {
            NewTopic newTopic = new NewTopic(topic, Optional.of(1), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(newTopic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("created compacted topic {}", topic);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new RegistryException(
                        RegistryError.STORE_ERROR,
                        "Cannot create " + topic + " on " + bootstrapServers + ": " + e.getCause(),
                        e.getCause());
            }
        } catch (TimeoutException e) {
            throw new RegistryException(
                    RegistryError.OPERATION_TIMEOUT, "Timed out creating " + topic + " on " + bootstrapServers, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryError.STORE_ERROR, "Interrupted creating " + topic, e);
        }
    }

    private void readLoop(KafkaConsumer<byte[], byte[]> consumer, Consumer<StoreRecord> listener) {
        try (consumer) {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                    try {
                        SchemasTopicFormat.decode(r.key(), r.value(), r.offset())
                                .ifPresent(listener);
                    } catch (CorruptStoreRecordException e) {
                        LOG.error("skipping {}", e.getMessage());
                    }
                }
                long position = consumer.position(partition);
                synchronized (this) {
                    appliedPosition = position;
                    notifyAll();
                }
            }
        } catch (WakeupException e) {
            // close() asked us to stop
        } catch (RuntimeException e) {
            LOG.error("schema registry reader of {} stopped", topic, e);
            readerFailure = e;
            synchronized (this) {
                notifyAll();
            }
        }
    }

    @Override
    public void write(StoreRecord record) {
        long offset;
        try {
            offset = producer.send(new ProducerRecord<>(
                            topic, 0, SchemasTopicFormat.key(record.key()), SchemasTopicFormat.value(record)))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .offset();
        } catch (ExecutionException e) {
            throw new RegistryException(
                    RegistryError.STORE_ERROR, "Writing to " + topic + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw new RegistryException(RegistryError.OPERATION_TIMEOUT, "Writing to " + topic + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(RegistryError.STORE_ERROR, "Interrupted writing to " + topic, e);
        }
        awaitApplied(offset + 1, "applying offset " + offset + " of " + topic);
    }

    private synchronized void awaitApplied(long position, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (appliedPosition < position) {
            if (readerFailure != null) {
                throw new RegistryException(
                        RegistryError.STORE_ERROR, "Reader of " + topic + " failed: " + readerFailure, readerFailure);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw RegistryError.OPERATION_TIMEOUT.exception("Timed out after " + timeout + " " + what);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException(RegistryError.STORE_ERROR, "Interrupted " + what, e);
            }
        }
    }

    private Properties producerConfig() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tributary-registry-writer");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // One writer and one in-flight request keep order without the idempotent producer's id handshake.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, String.valueOf(timeout.toMillis()));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(Math.min(timeout.toMillis(), 30_000)));
        return p;
    }

    private Properties consumerConfig() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tributary-registry-reader");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return p;
    }

    @Override
    public void close() {
        running = false;
        Thread t = reader;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }
}
