package dev.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official kafka-clients 4.3.1 consumer in a classic-protocol group: rebalances on join and leave,
 * committed offsets across a broker restart, and the group admin APIs.
 */
class ConsumerGroupConformanceTest {

    private static final int PARTITIONS = 6;

    private EmbeddedBroker broker;
    private final List<KafkaConsumer<String, String>> open = new ArrayList<>();

    @BeforeEach
    void start() {
        broker = EmbeddedBroker.builder()
                .config("group.initial.rebalance.delay.ms", "0")
                .start();
    }

    @AfterEach
    void stop() {
        open.forEach(KafkaConsumer::close);
        broker.close();
    }

    private KafkaConsumer<String, String> consumer(String group, String clientId) {
        return consumer(group, clientId, null);
    }

    private KafkaConsumer<String, String> consumer(String group, String clientId, String instanceId) {
        Properties p = new Properties();
        p.put("session.timeout.ms", "10000");
        if (instanceId != null) {
            p.put("group.instance.id", instanceId);
            // longer than pollUntil's 45 s: only fencing, not session expiry, lets a replacement in within it
            p.put("session.timeout.ms", "60000");
        }
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("group.id", group);
        p.put("client.id", clientId);
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        p.put("heartbeat.interval.ms", "500");
        p.put("partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor");
        KafkaConsumer<String, String> c = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        open.add(c);
        return c;
    }

    private Admin admin() {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        return Admin.create(p);
    }

    private void produce(String topic, int perPartition) {
        Properties p = new Properties();
        p.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (int partition = 0; partition < PARTITIONS; partition++) {
                for (int i = 0; i < perPartition; i++) {
                    producer.send(new ProducerRecord<>(topic, partition, "k", "p" + partition + "-" + i));
                }
            }
            producer.flush();
        }
    }

    /** Polls every consumer in turn (each poll drives its group protocol) until the condition holds. */
    private static void pollUntil(
            List<KafkaConsumer<String, String>> consumers, BooleanSupplier condition, String what) {
        await(what)
                .atMost(Duration.ofSeconds(45))
                .pollInSameThread()
                .pollInterval(Duration.ZERO)
                .until(() -> {
                    if (condition.getAsBoolean()) {
                        return true;
                    }
                    for (KafkaConsumer<String, String> c : consumers) {
                        c.poll(Duration.ofMillis(50));
                    }
                    return false;
                });
    }

    /** True when the consumers' assignments are disjoint, cover every partition and have these sizes. */
    private static boolean balanced(List<KafkaConsumer<String, String>> consumers, int... sizes) {
        Set<TopicPartition> union = new HashSet<>();
        List<Integer> actual = new ArrayList<>();
        for (KafkaConsumer<String, String> c : consumers) {
            Set<TopicPartition> a = c.assignment();
            actual.add(a.size());
            for (TopicPartition tp : a) {
                if (!union.add(tp)) {
                    return false;
                }
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int s : sizes) {
            expected.add(s);
        }
        return union.size() == PARTITIONS && actual.equals(expected);
    }

    @Test
    void shouldRebalanceGroupOfThreeOnJoinAndLeaveAndKeepOffsetsAcrossRestart() throws Exception {
        String topic = "group-topic";
        broker.createTopic(topic, PARTITIONS, Map.of());
        produce(topic, 10);

        KafkaConsumer<String, String> a = consumer("g1", "a");
        a.subscribe(List.of(topic));
        pollUntil(List.of(a), () -> balanced(List.of(a), 6), "a owns all partitions");

        KafkaConsumer<String, String> b = consumer("g1", "b");
        b.subscribe(List.of(topic));
        pollUntil(List.of(a, b), () -> balanced(List.of(a, b), 3, 3), "a and b share the partitions");

        KafkaConsumer<String, String> c = consumer("g1", "c");
        c.subscribe(List.of(topic));
        List<KafkaConsumer<String, String>> three = List.of(a, b, c);
        pollUntil(three, () -> balanced(three, 2, 2, 2), "three members with two partitions each");

        try (Admin admin = admin()) {
            ConsumerGroupDescription d =
                    admin.describeConsumerGroups(List.of("g1")).all().get().get("g1");
            assertThat(d.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(d.members()).hasSize(3);
            assertThat(d.members())
                    .allSatisfy(
                            m -> assertThat(m.assignment().topicPartitions()).hasSize(2));
            assertThat(d.partitionAssignor()).isEqualTo("range");
        }

        // each member commits the position it reached in its own partitions
        Map<TopicPartition, Long> committed = new HashMap<>();
        for (KafkaConsumer<String, String> m : three) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            for (TopicPartition tp : m.assignment()) {
                long offset = 3 + tp.partition();
                offsets.put(tp, new OffsetAndMetadata(offset, "meta-" + tp.partition()));
                committed.put(tp, offset);
            }
            m.commitSync(offsets);
        }

        c.close();
        open.remove(c);
        List<KafkaConsumer<String, String>> two = List.of(a, b);
        pollUntil(two, () -> balanced(two, 3, 3), "a and b take over c's partitions after it leaves");

        a.close();
        b.close();
        open.clear();
        broker.restart();

        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> fetched = admin.listConsumerGroupOffsets("g1")
                    .partitionsToOffsetAndMetadata()
                    .get();
            assertThat(fetched).hasSize(PARTITIONS);
            committed.forEach((tp, offset) -> {
                assertThat(fetched.get(tp).offset()).isEqualTo(offset);
                assertThat(fetched.get(tp).metadata()).isEqualTo("meta-" + tp.partition());
            });
        }
        KafkaConsumer<String, String> resumed = consumer("g1", "resumed");
        resumed.subscribe(List.of(topic));
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        int expected = committed.values().stream()
                .mapToInt(offset -> (int) (10 - offset))
                .sum();
        await("the resumed consumer reading " + expected + " records")
                .atMost(Duration.ofSeconds(45))
                .pollInSameThread()
                .pollInterval(Duration.ZERO)
                .until(() -> {
                    resumed.poll(Duration.ofMillis(100)).forEach(records::add);
                    return records.size() >= expected;
                });
        assertThat(records).hasSize(expected);
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.offset())
                    .as("resumes at the committed offset of " + r.partition())
                    .isGreaterThanOrEqualTo(committed.get(new TopicPartition(topic, r.partition())));
        }
    }

    @Test
    void shouldListDescribeAndDeleteGroupsThroughAdmin() throws Exception {
        String topic = "admin-topic";
        broker.createTopic(topic, PARTITIONS, Map.of());
        KafkaConsumer<String, String> active = consumer("active-group", "active");
        active.subscribe(List.of(topic));
        pollUntil(List.of(active), () -> active.assignment().size() == PARTITIONS, "active member assigned");
        KafkaConsumer<String, String> assignOnly = consumer("assign-only", "assign");
        TopicPartition tp0 = new TopicPartition(topic, 0);
        assignOnly.assign(List.of(tp0));
        assignOnly.commitSync(Map.of(tp0, new OffsetAndMetadata(7)));

        try (Admin admin = admin()) {
            Map<String, GroupListing> listed = new HashMap<>();
            admin.listGroups().all().get().forEach(g -> listed.put(g.groupId(), g));
            assertThat(listed).containsKeys("active-group", "assign-only");
            assertThat(listed.get("active-group").groupState()).contains(GroupState.STABLE);
            assertThat(listed.get("assign-only").groupState()).contains(GroupState.EMPTY);

            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of("active-group"))
                    .all()
                    .get()
                    .get("active-group");
            assertThat(d.members()).singleElement().satisfies(m -> {
                assertThat(m.clientId()).isEqualTo("active");
                assertThat(m.assignment().topicPartitions()).hasSize(PARTITIONS);
            });

            assertThat(admin.listConsumerGroupOffsets("assign-only")
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .get(tp0)
                            .offset())
                    .isEqualTo(7);
            TopicPartition tp1 = new TopicPartition(topic, 1);
            assignOnly.commitSync(Map.of(tp1, new OffsetAndMetadata(9)));
            admin.deleteConsumerGroupOffsets("assign-only", Set.of(tp1)).all().get();
            assertThat(admin.listConsumerGroupOffsets("assign-only")
                            .partitionsToOffsetAndMetadata()
                            .get())
                    .containsOnlyKeys(tp0);
            assertThat(catchCause(admin.deleteConsumerGroupOffsets("active-group", Set.of(tp0))
                            .all()))
                    .isInstanceOf(org.apache.kafka.common.errors.GroupSubscribedToTopicException.class);

            var deleteActive =
                    admin.deleteConsumerGroups(List.of("active-group")).all();
            assertThat(catchCause(deleteActive))
                    .isInstanceOf(org.apache.kafka.common.errors.GroupNotEmptyException.class);
            admin.deleteConsumerGroups(List.of("assign-only")).all().get();

            Set<String> after = new HashSet<>();
            admin.listGroups().all().get().forEach(g -> after.add(g.groupId()));
            assertThat(after).contains("active-group").doesNotContain("assign-only");
            assertThat(admin.listConsumerGroupOffsets("assign-only")
                            .partitionsToOffsetAndMetadata()
                            .get())
                    .isEmpty();
            assertThat(catchCause(admin.describeConsumerGroups(List.of("never-existed"))
                            .all()))
                    .isInstanceOf(GroupIdNotFoundException.class);
        }
    }

    @Test
    void shouldLetRestartedStaticMemberTakeOverItsInstanceWithoutWaitingForSessionTimeout() {
        String topic = "static-topic";
        broker.createTopic(topic, PARTITIONS, Map.of());
        KafkaConsumer<String, String> a = consumer("static", "a", "instance-a");
        KafkaConsumer<String, String> b = consumer("static", "b", "instance-b");
        a.subscribe(List.of(topic));
        b.subscribe(List.of(topic));
        pollUntil(List.of(a, b), () -> balanced(List.of(a, b), 3, 3), "two static members");

        // A static member does not leave the group on close; its replacement fences it by instance id.
        b.close();
        open.remove(b);
        KafkaConsumer<String, String> b2 = consumer("static", "b2", "instance-b");
        b2.subscribe(List.of(topic));
        pollUntil(List.of(a, b2), () -> balanced(List.of(a, b2), 3, 3), "the new incarnation of instance-b");
    }

    private static Throwable catchCause(org.apache.kafka.common.KafkaFuture<?> f) {
        try {
            f.get();
            return null;
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
