package dev.tributary.registry.store;

import dev.tributary.registry.RegistryError;
import dev.tributary.registry.RegistryException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
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
import org.apache.kafka.common.errors.RetriableException;
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
 *
 * <p>On a broker of a cluster ({@link #forCluster}) every broker's registry shares the one replicated
 * {@code _schemas}, which may not be creatable yet when the registry starts (too few brokers registered for
 * its replication factor) and whose leader may move. Such a store waits for the topic before it creates any
 * producer or consumer, checking about once a second ({@link #TOPIC_CHECK_INTERVAL}) and logging the reason
 * once, rather than letting a consumer of a missing topic log {@code UNKNOWN_TOPIC_OR_PARTITION} on every
 * metadata refresh; it waits without a deadline until {@link #close()}; and the clients follow the partition's
 * leader on their own. Every broker's registry keeps reading, so each serves every schema.
 */
public final class KafkaRegistryStore implements RegistryStore {
    public static final String DEFAULT_TOPIC = "_schemas";
    private static final Logger LOG = LoggerFactory.getLogger(KafkaRegistryStore.class);
    private static final Duration POLL = Duration.ofMillis(100);
    /** How often a cluster store looks for {@code _schemas} while it does not exist yet. */
    static final Duration TOPIC_CHECK_INTERVAL = Duration.ofSeconds(1);

    private final String bootstrapServers;
    private final String topic;
    private final Duration timeout;
    private final TopicPartition partition;
    /** A cluster's store: wait for the topic and its leader without a deadline (see the class comment). */
    private final boolean waitForTopic;

    private final CountDownLatch closed = new CountDownLatch(1);
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
        this(bootstrapServers, topic, timeout, false);
    }

    private KafkaRegistryStore(String bootstrapServers, String topic, Duration timeout, boolean waitForTopic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.timeout = timeout;
        this.partition = new TopicPartition(topic, 0);
        this.waitForTopic = waitForTopic;
    }

    /**
     * The store of a cluster's broker: {@code _schemas} is shared by every broker's registry; {@link #start}
     * waits for it as long as it takes (until {@link #close()}), so call it on a thread of its own.
     */
    public static KafkaRegistryStore forCluster(String bootstrapServers) {
        return new KafkaRegistryStore(bootstrapServers, DEFAULT_TOPIC, Duration.ofSeconds(30), true);
    }

    @Override
    public void start(Consumer<StoreRecord> listener) {
        running = true;
        if (waitForTopic) {
            awaitTopic();
        } else {
            createTopic();
        }
        producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        long end;
        try {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            end = endOffset(consumer);
        } catch (RuntimeException e) {
            consumer.close(Duration.ZERO);
            throw e;
        }
        reader = new Thread(() -> readLoop(consumer, listener), "tributary-registry-reader");
        reader.setDaemon(true);
        reader.start();
        do {
            try {
                awaitApplied(end, "reading " + topic + " to its end offset " + end);
                break;
            } catch (RegistryException e) {
                if (!waitForTopic || e.error() != RegistryError.OPERATION_TIMEOUT) {
                    throw e;
                }
                LOG.info("still reading {} to its end offset {} (its leader may be moving)", topic, end);
            }
        } while (true);
        LOG.info("schema registry store loaded {} up to offset {}", topic, end);
    }

    private long endOffset(KafkaConsumer<byte[], byte[]> consumer) {
        while (true) {
            try {
                return consumer.endOffsets(List.of(partition), timeout).get(partition);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                if (!waitForTopic || !running) {
                    throw e;
                }
                LOG.info("no end offset of {} within {} (its leader may be moving); asking again", topic, timeout);
            }
        }
    }

    /**
     * Returns once {@code _schemas} exists, creating it when the cluster can (the broker picks its replication
     * factor); until then checks every {@link #TOPIC_CHECK_INTERVAL}, logging each new reason once.
     */
    private void awaitTopic() {
        try (Admin admin = Admin.create(adminConfig())) {
            String reported = null;
            while (running) {
                String reason;
                try {
                    if (admin.listTopics()
                            .names()
                            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                            .contains(topic)) {
                        return;
                    }
                    admin.createTopics(List.of(newTopic())).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    LOG.info("created compacted topic {}", topic);
                    return;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof TopicExistsException) {
                        return;
                    }
                    reason = String.valueOf(e.getCause().getMessage());
                } catch (TimeoutException e) {
                    reason = "no answer within " + timeout;
                }
                if (!reason.equals(reported)) {
                    LOG.info("waiting for the cluster to create {}: {}", topic, reason);
                    reported = reason;
                }
                if (closed.await(TOPIC_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw RegistryError.STORE_ERROR.exception("Closed while waiting for " + topic);
    }

    private NewTopic newTopic() {
        return new NewTopic(topic, Optional.of(1), Optional.empty())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    }

    private Properties adminConfig() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tributary-registry-admin");
        return props;
    }

    private void createTopic() {
        try (Admin admin = Admin.create(adminConfig())) {
            admin.createTopics(List.of(newTopic())).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
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
                long position;
                try {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                        try {
                            SchemasTopicFormat.decode(r.key(), r.value(), r.offset())
                                    .ifPresent(listener);
                        } catch (CorruptStoreRecordException e) {
                            LOG.error("skipping {}", e.getMessage());
                        }
                    }
                    position = consumer.position(partition);
                } catch (RetriableException e) {
                    // no leader for the partition just now (a cluster's leader moving); the client finds the next
                    LOG.debug("reading {} paused: {}", topic, e.toString());
                    continue;
                }
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
            if (!running) {
                throw RegistryError.STORE_ERROR.exception("The store of " + topic + " is closed");
            }
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
        // the registry creates the topic with its settings; a consumer's metadata request must never create it
        p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return p;
    }

    @Override
    public void close() {
        running = false;
        closed.countDown();
        synchronized (this) {
            notifyAll(); // a write or a start waiting for the reader gives up
        }
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
