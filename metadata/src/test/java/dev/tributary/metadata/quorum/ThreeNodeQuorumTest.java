package dev.tributary.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.IdRange;
import dev.tributary.metadata.command.MetadataCommand.AllocateSchemaIds;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.command.MetadataCommand.RegisterBroker;
import dev.tributary.metadata.command.MetadataCommand.UnfenceBroker;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Ratis servers in this JVM on loopback: commands commit, the quorum survives the loss of its leader,
 * and a node that was down while the log moved past it catches up from the leader's snapshot.
 */
class ThreeNodeQuorumTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    /** Small, so the short test takes several snapshots and purges the log behind them. */
    private static final int SNAPSHOT_THRESHOLD = 16;

    @TempDir
    Path dir;

    private QuorumVoters voters;
    private final Map<Integer, MetadataQuorum> nodes = new HashMap<>();
    private final Map<Integer, AtomicInteger> changesSeen = new HashMap<>();

    /** Closes every node, waiting at most 10 s for each so that a node stuck in Ratis cannot hang the build. */
    @AfterEach
    void stopAll() throws Exception {
        for (MetadataQuorum node : nodes.values()) {
            Thread closer = new Thread(
                    () -> {
                        try {
                            node.close();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    },
                    "close-node-" + node.nodeId());
            closer.setDaemon(true);
            closer.start();
            closer.join(10_000);
            assertThat(closer.isAlive())
                    .as("node %d closed within 10 s", node.nodeId())
                    .isFalse();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void start(int id) throws IOException {
        QuorumConfig config = QuorumConfig.of(id, voters, dir.resolve("node-" + id))
                .withElectionTimeout(Duration.ofMillis(300), Duration.ofMillis(600))
                .withSnapshotThreshold(SNAPSHOT_THRESHOLD)
                .withLogSegmentBytes(2048)
                .withClientRetries(Duration.ofSeconds(1), 40);
        MetadataQuorum node = MetadataQuorum.start(config);
        AtomicInteger seen = changesSeen.computeIfAbsent(id, k -> new AtomicInteger());
        node.addListener((previous, current) -> {
            assertThat(current.offset()).isGreaterThanOrEqualTo(previous.offset());
            seen.incrementAndGet();
        });
        nodes.put(id, node);
    }

    private void stop(int id) throws IOException {
        nodes.remove(id).close();
    }

    private MetadataQuorum awaitLeader() {
        return await().atMost(WAIT)
                .until(
                        () -> nodes.values().stream()
                                .filter(MetadataQuorum::isLeader)
                                .findFirst()
                                .orElse(null),
                        leader -> leader != null);
    }

    private long allocateSchemaId(MetadataClient client) {
        CommandResult result = client.submitAndWait(new AllocateSchemaIds(1, 0), WAIT);
        assertThat(result).isInstanceOf(IdRange.class);
        return ((IdRange) result).firstId();
    }

    private void awaitSameImageOnEveryNode() {
        await().atMost(WAIT).untilAsserted(() -> {
            MetadataImage leader = awaitLeader().image();
            for (MetadataQuorum node : nodes.values()) {
                assertThat(node.image().offset())
                        .as("node %d offset", node.nodeId())
                        .isEqualTo(leader.offset());
                assertThat(node.image().sameContentAs(leader))
                        .as("node %d image", node.nodeId())
                        .isTrue();
            }
        });
    }

    @Test
    void shouldKeepCommittingAcrossALeaderLossAndCatchARestartedNodeUpFromASnapshot() throws Exception {
        voters = QuorumVoters.parse(
                "1@127.0.0.1:" + freePort() + ",2@127.0.0.1:" + freePort() + ",3@127.0.0.1:" + freePort());
        for (int id = 1; id <= 3; id++) {
            start(id);
        }
        List<Long> schemaIds = new ArrayList<>();
        UUID incarnation = UUID.randomUUID();
        MetadataClient client = nodes.get(2).client();
        client.submitAndWait(
                new RegisterBroker(7, incarnation, List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092)), 0), WAIT);
        client.submitAndWait(new UnfenceBroker(7, incarnation, 0), WAIT);
        client.submitAndWait(CreateTopic.of("before", UUID.randomUUID(), List.of(List.of(7)), Map.of()), WAIT);
        for (int i = 0; i < 10; i++) {
            schemaIds.add(allocateSchemaId(client));
        }
        awaitSameImageOnEveryNode();
        assertThat(changesSeen.values()).allSatisfy(n -> assertThat(n.get()).isGreaterThanOrEqualTo(13));

        // lose the quorum leader: the two others elect a new one and keep committing
        MetadataQuorum oldLeader = awaitLeader();
        int lost = oldLeader.nodeId();
        long lostAt = oldLeader.image().offset();
        stop(lost);
        MetadataQuorum newLeader = awaitLeader();
        assertThat(newLeader.nodeId()).isNotEqualTo(lost);
        MetadataClient survivor = newLeader.client();
        survivor.submitAndWait(CreateTopic.of("after", UUID.randomUUID(), List.of(List.of(7)), Map.of()), WAIT);
        for (int i = 0; i < 4 * SNAPSHOT_THRESHOLD; i++) {
            schemaIds.add(allocateSchemaId(survivor));
        }
        // the leader's log no longer holds what the lost node needs next: only a snapshot can catch it up
        await().atMost(WAIT).until(() -> awaitLeader().logStartIndex() > lostAt + 1);

        start(lost);
        awaitSameImageOnEveryNode();
        MetadataQuorum restarted = nodes.get(lost);
        assertThat(restarted.image().topic("before")).isNotNull();
        assertThat(restarted.image().topic("after")).isNotNull();
        assertThat(restarted.snapshotsInstalled()).isGreaterThanOrEqualTo(1);

        // every schema id handed out once, in order, across the leader change
        assertThat(schemaIds).doesNotHaveDuplicates().isSorted();
        assertThat(schemaIds.get(schemaIds.size() - 1)).isEqualTo(schemaIds.size());
        // and the restarted node can take new commands through its own client
        assertThat(allocateSchemaId(restarted.client())).isEqualTo(schemaIds.size() + 1);
    }
}
