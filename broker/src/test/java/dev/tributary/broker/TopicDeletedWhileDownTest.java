package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.partition.PartitionMetadataFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that was stopped while a topic it held was deleted removes its replica when it comes back, once its copy
 * of the metadata has caught up with its own registration; each replica directory records its topic id in Kafka's
 * {@code partition.metadata}.
 */
class TopicDeletedWhileDownTest {
    @TempDir
    Path dir;

    @Test
    void aNodeThatWasDownWhenATopicWasDeletedDeletesItsReplicaOnRestart() throws Throwable {
        try (ClusterProcesses cluster = new ClusterProcesses(
                dir, 3, List.of("broker.session.timeout.ms=3000", "broker.heartbeat.interval.ms=500"))) {
            try {
                for (int i = 1; i <= 3; i++) {
                    cluster.start(i);
                }
                for (int i = 1; i <= 3; i++) {
                    cluster.awaitListening(i, Duration.ofSeconds(60));
                }
                try (Admin admin = Admin.create(Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        cluster.bootstrap(1) + "," + cluster.bootstrap(2)))) {
                    cluster.awaitEveryNodeListsAll(Duration.ofSeconds(40));
                    admin.createTopics(List.of(new NewTopic("gone", 2, (short) 3)))
                            .all()
                            .get(30, TimeUnit.SECONDS);
                    Path replica = cluster.dataDir(3).resolve("gone-0");
                    await("node 3 holds a replica with its topic id")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> Files.exists(replica.resolve(PartitionMetadataFile.FILE_NAME)));
                    assertThat(PartitionMetadataFile.read(replica)).isPresent();

                    cluster.stop(3, Duration.ofSeconds(30));
                    admin.deleteTopics(List.of("gone")).all().get(30, TimeUnit.SECONDS);
                    assertThat(replica).isDirectory();

                    cluster.start(3);
                    cluster.awaitListening(3, Duration.ofSeconds(60));
                    await("node 3 deletes the replicas of the topic deleted while it was down")
                            .atMost(Duration.ofSeconds(30))
                            .until(() -> !Files.exists(replica)
                                    && !Files.exists(cluster.dataDir(3).resolve("gone-1")));
                }
            } catch (Throwable t) {
                cluster.printLogs();
                throw t;
            }
        }
    }
}
