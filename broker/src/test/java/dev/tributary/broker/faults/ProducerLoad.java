package dev.tributary.broker.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An idempotent {@code acks=all} kafka-clients producer on a thread of its own, sending unique values ({@code
 * prefix-N}) round-robin over a topic's partitions at a steady pace, with a bounded number of sends in flight.
 * Every acknowledgement goes to a {@link DeliveryChecker} and its arrival time is kept (to measure produce
 * stalls); every failed send is counted. {@code delivery.timeout.ms} is large (2 min), so a leader change or a
 * restart should never fail a send: a failure is a finding.
 */
public final class ProducerLoad implements AutoCloseable {
    /** Sends in flight at most; keeps memory bounded while a partition has no leader. */
    private static final int MAX_IN_FLIGHT = 2000;

    private static final int SHOWN_FAILURES = 10;

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int partitions;
    private final String prefix;
    private final int recordsPerSecond;
    private final DeliveryChecker checker;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    /** {@link System#nanoTime()} of every acknowledgement, in arrival order. */
    private final List<Long> ackTimes = new ArrayList<>();

    private final Thread thread;
    private volatile boolean stopping;
    private volatile Throwable crashed;

    public ProducerLoad(String bootstrap, String topic, int partitions, int recordsPerSecond, DeliveryChecker checker) {
        this.producer = new KafkaProducer<>(idempotentAcksAll(bootstrap));
        this.topic = topic;
        this.partitions = partitions;
        this.prefix = topic + "-" + Long.toHexString(System.nanoTime());
        this.recordsPerSecond = recordsPerSecond;
        this.checker = checker;
        this.thread = new Thread(this::run, "producer-load-" + topic);
        this.thread.setDaemon(true);
    }

    /** The producer settings every fault test uses. */
    public static Properties idempotentAcksAll(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "60000");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, "100");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return p;
    }

    public ProducerLoad start() {
        thread.start();
        return this;
    }

    private void run() {
        long startNanos = System.nanoTime();
        try {
            for (long n = 0; !stopping; n++) {
                // pace: record n is due at n / rate seconds after the start
                long due = startNanos + n * 1_000_000_000L / recordsPerSecond;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                while (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    if (stopping) {
                        return;
                    }
                }
                int partition = (int) (n % partitions);
                String value = prefix + "-" + n;
                sent.incrementAndGet();
                producer.send(new ProducerRecord<>(topic, partition, null, value), (metadata, error) -> {
                    inFlight.release();
                    if (error != null) {
                        failed.incrementAndGet();
                        synchronized (failures) {
                            if (failures.size() < SHOWN_FAILURES) {
                                failures.add(value + " to partition " + partition + ": " + error);
                            }
                        }
                        return;
                    }
                    long now = System.nanoTime();
                    synchronized (ackTimes) {
                        ackTimes.add(now);
                    }
                    acked.incrementAndGet();
                    checker.acknowledged(metadata.partition(), metadata.offset(), value);
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            crashed = t;
        }
    }

    public long sent() {
        return sent.get();
    }

    public long acked() {
        return acked.get();
    }

    public long failed() {
        return failed.get();
    }

    /**
     * Waits (at most a minute) until {@code more} further records are acknowledged, i.e. the cluster takes
     * writes; fails at once if a send fails.
     */
    public void awaitMoreAcks(long more) {
        long target = acked() + more;
        await("producer acknowledged " + target + " records")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> acked() >= target || failed() > 0);
        assertThat(failed()).as("failed sends; first ones: " + failures()).isZero();
    }

    /** The first failed sends, with their errors. */
    public List<String> failures() {
        synchronized (failures) {
            return List.copyOf(failures);
        }
    }

    /**
     * The longest time without an acknowledgement between {@code fromNanos} and {@code toNanos} (both {@link
     * System#nanoTime()}), counting the edges of the window as acknowledgements.
     */
    public Duration longestAckGap(long fromNanos, long toNanos) {
        long previous = fromNanos;
        long longest = 0;
        synchronized (ackTimes) {
            for (long t : ackTimes) {
                if (t < fromNanos) {
                    continue;
                }
                if (t > toNanos) {
                    break;
                }
                longest = Math.max(longest, t - previous);
                previous = t;
            }
        }
        longest = Math.max(longest, toNanos - previous);
        return Duration.ofNanos(longest);
    }

    /** One line for a test's output. */
    public String summary() {
        return sent() + " sent, " + acked() + " acknowledged, " + failed() + " failed";
    }

    /**
     * Stops sending and waits (at most {@code atMost}) until every send in flight is acknowledged or failed;
     * throws if the thread crashed.
     */
    public void stopAndDrain(Duration atMost) throws InterruptedException {
        stopping = true;
        thread.join(atMost.toMillis());
        producer.flush();
        if (!inFlight.tryAcquire(MAX_IN_FLIGHT, atMost.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("sends still in flight " + atMost + " after the load stopped: " + summary());
        }
        inFlight.release(MAX_IN_FLIGHT);
        if (crashed != null) {
            throw new AssertionError("the producer thread crashed", crashed);
        }
    }

    @Override
    public void close() {
        stopping = true;
        producer.close(Duration.ofSeconds(10));
    }
}
