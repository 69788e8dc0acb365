package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The official Admin client: create, describe, alter and delete topics, configs, cluster. */
class AdminConformanceTest {

    @Test
    void shouldCreateDescribeAlterAndDeleteTopicsThroughTheAdminClient() throws Exception {
        try (TestBroker broker = new TestBroker();
                Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(List.of(new NewTopic("orders", 3, (short) 1).configs(Map.of("retention.ms", "3600000"))))
                    .all()
                    .get();
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("orders", 1, (short) 1)))
                            .all()
                            .get())
                    .hasCauseInstanceOf(TopicExistsException.class);
            assertThat(admin.listTopics().names().get()).contains("orders");

            TopicDescription d = admin.describeTopics(List.of("orders"))
                    .allTopicNames()
                    .get()
                    .get("orders");
            assertThat(d.partitions()).hasSize(3);
            assertThat(d.partitions().get(0).leader().id()).isEqualTo(0);
            assertThat(d.topicId()).isNotNull();

            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
            Config cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertThat(cfg.get("retention.ms").value()).isEqualTo("3600000");
            assertThat(cfg.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(cfg.get("segment.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);

            admin.incrementalAlterConfigs(Map.of(
                            res,
                            List.of(
                                    new AlterConfigOp(
                                            new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET),
                                    new AlterConfigOp(
                                            new ConfigEntry("cleanup.policy", "compact"),
                                            AlterConfigOp.OpType.APPEND))))
                    .all()
                    .get();
            cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertThat(cfg.get("retention.ms").value()).isEqualTo("7200000");
            assertThat(cfg.get("cleanup.policy").value()).isEqualTo("compact");
            admin.incrementalAlterConfigs(Map.of(
                            res,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE))))
                    .all()
                    .get();
            cfg = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertThat(cfg.get("retention.ms").value()).isEqualTo("604800000");

            admin.createPartitions(Map.of("orders", NewPartitions.increaseTo(5)))
                    .all()
                    .get();
            assertThat(admin.describeTopics(List.of("orders"))
                            .allTopicNames()
                            .get()
                            .get("orders")
                            .partitions())
                    .hasSize(5);

            ConfigResource brokerRes = new ConfigResource(ConfigResource.Type.BROKER, "0");
            admin.incrementalAlterConfigs(Map.of(
                            brokerRes,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("log.retention.ms", "86400000"), AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
            Config b = admin.describeConfigs(List.of(brokerRes)).all().get().get(brokerRes);
            assertThat(b.get("log.retention.ms").value()).isEqualTo("86400000");
            assertThat(b.get("auto.create.topics.enable").value()).isEqualTo("true");

            DescribeClusterResult cluster = admin.describeCluster();
            assertThat(cluster.nodes().get()).hasSize(1);
            assertThat(cluster.controller().get().id()).isZero();
            assertThat(cluster.clusterId().get()).isNotBlank();

            admin.deleteTopics(List.of("orders")).all().get();
            assertThat(admin.listTopics().names().get()).doesNotContain("orders");
            assertThatThrownBy(() -> admin.deleteTopics(List.of("orders")).all().get())
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(broker.dataDir().resolve("orders-0")).doesNotExist();
        }
    }

    @Test
    void shouldKeepTopicsConfigsAndRecordsAcrossARestart() throws Exception {
        try (TestBroker broker = new TestBroker()) {
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.createTopics(List.of(
                                new NewTopic("kept", 2, (short) 1).configs(Map.of("max.message.bytes", "2048"))))
                        .all()
                        .get();
            }
            java.util.Properties p = broker.clientProps();
            p.put("enable.idempotence", "false");
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("kept", 1, "k", "v" + i)).get();
                }
            }
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.deleteRecords(Map.of(new TopicPartition("kept", 1), RecordsToDelete.beforeOffset(3)))
                        .all()
                        .get();
            }
            broker.restart();
            try (Admin admin = Admin.create(broker.clientProps())) {
                assertThat(admin.describeTopics(List.of("kept"))
                                .allTopicNames()
                                .get()
                                .get("kept")
                                .partitions())
                        .hasSize(2);
                ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "kept");
                assertThat(admin.describeConfigs(List.of(res))
                                .all()
                                .get()
                                .get(res)
                                .get("max.message.bytes")
                                .value())
                        .isEqualTo("2048");
                TopicPartition tp = new TopicPartition("kept", 1);
                var earliest = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.earliest()))
                        .all()
                        .get();
                var latest = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()))
                        .all()
                        .get();
                var maxTs = admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.maxTimestamp()))
                        .all()
                        .get();
                assertThat(earliest.get(tp).offset()).isEqualTo(3);
                assertThat(latest.get(tp).offset()).isEqualTo(10);
                assertThat(maxTs.get(tp).offset()).isBetween(3L, 9L);
            }
            Collection<String> dirs = Set.of("kept-0", "kept-1");
            for (String dir : dirs) {
                assertThat(broker.dataDir().resolve(dir)).isDirectory();
            }
        }
    }

    @Test
    void describeLogDirsReportsTheDataDirectoryAndTheSizeOfEachReplicaOnDisk() throws Exception {
        try (TestBroker broker = new TestBroker()) {
            try (Admin admin = Admin.create(broker.clientProps())) {
                admin.createTopics(List.of(new NewTopic("sized", 2, (short) 1)))
                        .all()
                        .get();
            }
            java.util.Properties p = broker.clientProps();
            try (KafkaProducer<String, String> producer =
                    new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 50; i++) {
                    producer.send(new ProducerRecord<>("sized", 0, "k", "value-" + i))
                            .get();
                }
            }
            try (Admin admin = Admin.create(broker.clientProps())) {
                Map<Integer, Map<String, org.apache.kafka.clients.admin.LogDirDescription>> all =
                        admin.describeLogDirs(List.of(0)).allDescriptions().get();
                Map<String, org.apache.kafka.clients.admin.LogDirDescription> dirs = all.get(0);
                assertThat(dirs)
                        .containsOnlyKeys(broker.dataDir().toAbsolutePath().toString());
                org.apache.kafka.clients.admin.LogDirDescription dir =
                        dirs.values().iterator().next();
                assertThat(dir.error()).isNull();
                assertThat(dir.totalBytes()).isPresent();
                assertThat(dir.usableBytes().getAsLong()).isPositive();
                var replicas = dir.replicaInfos();
                long onDisk = java.nio.file.Files.size(
                        broker.dataDir().resolve("sized-0").resolve("00000000000000000000.log"));
                assertThat(onDisk).isPositive();
                assertThat(replicas.get(new TopicPartition("sized", 0)).size()).isEqualTo(onDisk);
                assertThat(replicas.get(new TopicPartition("sized", 1)).size()).isZero();
                assertThat(replicas.get(new TopicPartition("sized", 0)).offsetLag())
                        .isZero();

                var one = admin.describeReplicaLogDirs(
                                List.of(new org.apache.kafka.common.TopicPartitionReplica("sized", 1, 0)))
                        .all()
                        .get();
                assertThat(one.values().iterator().next().getCurrentReplicaLogDir())
                        .isEqualTo(broker.dataDir().toAbsolutePath().toString());
            }
        }
    }

    @Test
    void setsDescribesAndChecksTheReplicationConfigsOfATopic() throws Exception {
        try (TestBroker broker = new TestBroker();
                Admin admin = Admin.create(broker.clientProps())) {
            admin.createTopics(
                            List.of(new NewTopic("guarded", 1, (short) 1).configs(Map.of("min.insync.replicas", "1"))))
                    .all()
                    .get();
            ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, "guarded");
            Config c = admin.describeConfigs(List.of(res)).all().get().get(res);
            assertThat(c.get("min.insync.replicas").value()).isEqualTo("1");
            assertThat(c.get("min.insync.replicas").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
            assertThat(c.get("unclean.leader.election.enable").value()).isEqualTo("false");

            admin.incrementalAlterConfigs(Map.of(
                            res,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry("unclean.leader.election.enable", "true"),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get();
            assertThat(admin.describeConfigs(List.of(res))
                            .all()
                            .get()
                            .get(res)
                            .get("unclean.leader.election.enable")
                            .value())
                    .isEqualTo("true");
            assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                    res,
                                    List.of(new AlterConfigOp(
                                            new ConfigEntry("min.insync.replicas", "0"), AlterConfigOp.OpType.SET))))
                            .all()
                            .get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidConfigurationException.class)
                    .hasMessageContaining("min.insync.replicas");
            assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("bad-min", 1, (short) 1)
                                    .configs(Map.of("min.insync.replicas", "none"))))
                            .all()
                            .get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.InvalidConfigurationException.class);
        }
    }
}
