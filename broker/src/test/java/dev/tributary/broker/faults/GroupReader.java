package dev.tributary.broker.faults;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A consumer-group member on a thread of its own: subscribes to a topic, reports every record it reads to a
 * {@link DeliveryChecker} as observed, commits its position after every non-empty poll, and reports the
 * committed offsets it sees to a {@link CommittedOffsetLog}: the ones it committed, and the ones the coordinator
 * hands it on each assignment ({@code committed()}), which is where a coordinator that lost the group's offsets
 * shows. Commit errors while the coordinator moves are expected and only counted.
 */
public final class GroupReader implements AutoCloseable {
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final DeliveryChecker checker;
    private final CommittedOffsetLog committed;
    private final Thread thread;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong commitErrors = new AtomicLong();
    private final AtomicLong assignments = new AtomicLong();
    private volatile boolean stopping;
    private volatile Throwable crashed;

    public GroupReader(
            String bootstrap, String topic, String groupId, DeliveryChecker checker, CommittedOffsetLog committed) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "1000");
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "20000");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        this.consumer = new KafkaConsumer<>(p);
        this.topic = topic;
        this.checker = checker;
        this.committed = committed;
        this.thread = new Thread(this::run, "group-reader-" + groupId);
        this.thread.setDaemon(true);
    }

    public GroupReader start() {
        thread.start();
        return this;
    }

    private void run() {
        try {
            consumer.subscribe(Set.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assignments.incrementAndGet();
                    try {
                        Map<TopicPartition, OffsetAndMetadata> c =
                                consumer.committed(Set.copyOf(partitions), Duration.ofSeconds(10));
                        for (TopicPartition tp : partitions) {
                            OffsetAndMetadata o = c.get(tp);
                            committed.committed(tp.partition(), o == null ? null : o.offset(), "on assignment");
                        }
                    } catch (RuntimeException e) {
                        commitErrors.incrementAndGet(); // the coordinator is moving; the next commit tells
                    }
                }
            });
            while (!stopping) {
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(200));
                if (polled.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                for (ConsumerRecord<String, String> r : polled) {
                    checker.observed(r.partition(), r.offset(), r.value());
                    records.incrementAndGet();
                    positions.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                try {
                    consumer.commitSync(positions, Duration.ofSeconds(10));
                    positions.forEach((tp, o) -> committed.committed(tp.partition(), o.offset(), "commitSync"));
                } catch (WakeupException e) {
                    throw e;
                } catch (RuntimeException e) {
                    commitErrors.incrementAndGet(); // rebalance or coordinator change: redelivered, then committed
                }
            }
        } catch (WakeupException e) {
            // stopping
        } catch (Throwable t) {
            crashed = t;
        }
    }

    public long records() {
        return records.get();
    }

    public long commitErrors() {
        return commitErrors.get();
    }

    public long assignments() {
        return assignments.get();
    }

    /** Null while the thread runs fine or stopped cleanly. */
    public Throwable crashed() {
        return crashed;
    }

    public String summary() {
        return records() + " records read, " + assignments() + " assignments, " + commitErrors()
                + " commit errors, committed " + committed.highest();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        consumer.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(30));
        if (!thread.isAlive()) {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
