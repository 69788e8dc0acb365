package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reassignment under Kafka's replication throttle, set the way {@code kafka-reassign-partitions --throttle} sets
 * it: leader and follower rates as dynamic configs of the brokers involved, and the throttled replicas as topic
 * configs. While the throttle holds, the new replica copies at most what the rate (with the quota window's first
 * ten seconds as allowance) and one fetch allow; once the throttle is removed it catches up and the reassignment
 * completes.
 */
class ReplicationThrottleTest {
    private static final String TOPIC = "throttled";
    private static final long RATE = 200_000;
    private static final int RECORDS = 1000;
    private static final int RECORD_BYTES = 16 * 1024;

    @TempDir
    Path dir;

    @Test
    void aThrottledReassignmentCopiesNoFasterThanTheRateUntilTheThrottleIsRemoved() throws Throwable {
        try (ClusterProcesses cluster = new ClusterProcesses(
                dir, 3, List.of("broker.session.timeout.ms=4000", "broker.heartbeat.interval.ms=500"))) {
            try {
                for (int i = 1; i <= 3; i++) {
                    cluster.start(i);
                }
                for (int i = 1; i <= 3; i++) {
                    cluster.awaitListening(i, Duration.ofSeconds(60));
                }
                String bootstrap = cluster.bootstrap(1) + "," + cluster.bootstrap(2) + "," + cluster.bootstrap(3);
                try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                    cluster.awaitEveryNodeListsAll(Duration.ofSeconds(40));
                    admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(1, 2)))))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    produce(bootstrap);
                    TopicPartition tp = new TopicPartition(TOPIC, 0);
                    long leaderSize = size(admin, 1, tp);
                    assertThat(leaderSize).isGreaterThan((long) RECORDS * RECORD_BYTES);

                    for (int broker = 1; broker <= 3; broker++) {
                        setBroker(admin, broker, broker == 3 ? "follower" : "leader", Long.toString(RATE));
                    }
                    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
                    admin.incrementalAlterConfigs(Map.of(
                                    topic,
                                    List.of(
                                            set("leader.replication.throttled.replicas", "0:1,0:2"),
                                            set("follower.replication.throttled.replicas", "0:3"))))
                            .all()
                            .get(30, TimeUnit.SECONDS);

                    long started = System.nanoTime();
                    admin.alterPartitionReassignments(
                                    Map.of(tp, Optional.of(new NewPartitionReassignment(List.of(1, 2, 3)))))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    await("node 3 starts copying")
                            .atMost(Duration.ofSeconds(30))
                            .ignoreExceptions()
                            .until(() -> size(admin, 3, tp) > 0);
                    Thread.sleep(4000); // lets the copy run under the throttle
                    long copied = size(admin, 3, tp);
                    double seconds = (System.nanoTime() - started) / 1e9;
                    long allowed = (long) (RATE * (10 + seconds)) + 2 * 1024 * 1024;
                    System.out.printf(
                            "throttled copy: %d of %d bytes in %.1f s (allowed %d)%n",
                            copied, leaderSize, seconds, allowed);
                    assertThat(copied)
                            .as("bytes on node 3 after %.1f s at %d B/s", seconds, RATE)
                            .isLessThanOrEqualTo(allowed);
                    assertThat(admin.listPartitionReassignments()
                                    .reassignments()
                                    .get())
                            .containsKey(tp);

                    for (int broker = 1; broker <= 3; broker++) {
                        removeBroker(admin, broker, broker == 3 ? "follower" : "leader");
                    }
                    await("the reassignment completes once the throttle is gone")
                            .atMost(Duration.ofSeconds(60))
                            .ignoreExceptions()
                            .until(() -> admin.listPartitionReassignments()
                                    .reassignments()
                                    .get()
                                    .isEmpty());
                    await("node 3 holds the whole partition")
                            .atMost(Duration.ofSeconds(30))
                            .ignoreExceptions()
                            .until(() -> size(admin, 3, tp) == size(admin, 1, tp));
                }
            } catch (Throwable t) {
                cluster.printLogs();
                throw t;
            }
        }
    }

    private static void produce(String bootstrap) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        byte[] value = new byte[RECORD_BYTES];
        new java.util.Random(7).nextBytes(value); // incompressible, so bytes on disk match bytes sent
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, null, value));
            }
            producer.flush();
        }
    }

    private static long size(Admin admin, int broker, TopicPartition tp) throws Exception {
        var dirs = admin.describeLogDirs(List.of(broker)).allDescriptions().get(10, TimeUnit.SECONDS);
        for (var d : dirs.get(broker).values()) {
            ReplicaInfo r = d.replicaInfos().get(tp);
            if (r != null) {
                return r.size();
            }
        }
        return 0;
    }

    private static AlterConfigOp set(String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET);
    }

    private static void setBroker(Admin admin, int broker, String side, String rate) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker));
        admin.incrementalAlterConfigs(Map.of(res, List.of(set(side + ".replication.throttled.rate", rate))))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private static void removeBroker(Admin admin, int broker, String side) throws Exception {
        ConfigResource res = new ConfigResource(ConfigResource.Type.BROKER, Integer.toString(broker));
        admin.incrementalAlterConfigs(Map.of(
                        res,
                        List.of(new AlterConfigOp(
                                new ConfigEntry(side + ".replication.throttled.rate", null),
                                AlterConfigOp.OpType.DELETE))))
                .all()
                .get(30, TimeUnit.SECONDS);
    }
}
