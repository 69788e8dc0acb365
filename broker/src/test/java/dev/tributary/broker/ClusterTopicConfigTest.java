package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Topic configs of a cluster topic, as {@code kafka-configs} uses them: set on one node, described by another, and
 * acted on by the replicas while they run. Raising the topic's {@code min.insync.replicas} to 3 on a partition
 * whose ISR lost a member makes the leader refuse {@code acks=all} writes with NOT_ENOUGH_REPLICAS; lowering it
 * again lets them through, without a leader change.
 */
class ClusterTopicConfigTest {
    private static final String TOPIC = "configured";

    @TempDir
    Path dir;

    @Test
    void aTopicConfigChangedOnOneNodeIsDescribedByTheOthersAndActedOnByTheLeader() throws Throwable {
        try (ClusterProcesses cluster = new ClusterProcesses(
                dir,
                3,
                List.of(
                        "broker.session.timeout.ms=3000",
                        "broker.heartbeat.interval.ms=500",
                        "min.insync.replicas=2",
                        "replica.lag.time.max.ms=2000"))) {
            try {
                for (int i = 1; i <= 3; i++) {
                    cluster.start(i);
                }
                for (int i = 1; i <= 3; i++) {
                    cluster.awaitListening(i, Duration.ofSeconds(60));
                }
                try (Admin one = admin(cluster.bootstrap(1));
                        Admin two = admin(cluster.bootstrap(2));
                        Admin three = admin(cluster.bootstrap(3))) {
                    cluster.awaitEveryNodeListsAll(Duration.ofSeconds(40));
                    one.createTopics(List.of(
                                    new NewTopic(TOPIC, 1, (short) 3).configs(Map.of("retention.ms", "3600000"))))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
                    Config seenByTwo = await("node 2 knows the topic")
                            .atMost(Duration.ofSeconds(15))
                            .ignoreExceptions()
                            .until(
                                    () -> two.describeConfigs(List.of(res))
                                            .all()
                                            .get()
                                            .get(res),
                                    c -> c != null);
                    assertThat(seenByTwo.get("retention.ms").value()).isEqualTo("3600000");
                    assertThat(seenByTwo.get("min.insync.replicas").value()).isEqualTo("2");

                    int leader = one.describeTopics(List.of(TOPIC))
                            .allTopicNames()
                            .get()
                            .get(TOPIC)
                            .partitions()
                            .get(0)
                            .leader()
                            .id();
                    int follower = leader == 3 ? 2 : 3;
                    Admin viaLeader = leader == 1 ? one : leader == 2 ? two : three;
                    cluster.process(follower).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    await("the ISR drops the killed follower " + follower)
                            .atMost(Duration.ofSeconds(30))
                            .ignoreExceptions()
                            .until(() -> viaLeader
                                            .describeTopics(List.of(TOPIC))
                                            .allTopicNames()
                                            .get()
                                            .get(TOPIC)
                                            .partitions()
                                            .get(0)
                                            .isr()
                                            .size()
                                    == 2);

                    alter(viaLeader, res, "min.insync.replicas", "3");
                    String bootstrap = cluster.bootstrap(leader);
                    try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                        await("the leader applies min.insync.replicas=3")
                                .atMost(Duration.ofSeconds(15))
                                .untilAsserted(() -> assertThatThrownBy(
                                                () -> producer.send(new ProducerRecord<>(TOPIC, "k", "refused"))
                                                        .get(10, TimeUnit.SECONDS))
                                        .isInstanceOf(ExecutionException.class)
                                        .hasCauseInstanceOf(NotEnoughReplicasException.class));

                        alter(viaLeader, res, "min.insync.replicas", "2");
                        await("the leader applies min.insync.replicas=2")
                                .atMost(Duration.ofSeconds(15))
                                .ignoreExceptions()
                                .until(() -> producer.send(new ProducerRecord<>(TOPIC, "k", "accepted"))
                                                .get(10, TimeUnit.SECONDS)
                                                .offset()
                                        >= 0);
                    }
                    Config seenByOther = (leader == 1 ? two : one)
                            .describeConfigs(List.of(res))
                            .all()
                            .get()
                            .get(res);
                    assertThat(seenByOther.get("min.insync.replicas").value()).isEqualTo("2");
                    assertThat(seenByOther.get("min.insync.replicas").source())
                            .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                }
            } catch (Throwable t) {
                cluster.printLogs();
                throw t;
            }
        }
    }

    private static void alter(Admin admin, ConfigResource res, String key, String value) throws Exception {
        admin.incrementalAlterConfigs(
                        Map.of(res, List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.RETRIES_CONFIG, "0");
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "20000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }
}
