package dev.tributary.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three voters and one observer (a node id not among the voters) in this JVM on loopback: the observer joins
 * after the voters' log was purged behind a snapshot, catches up from the snapshot, follows every commit,
 * submits commands of its own, survives a restart, never counts towards a majority, and is still sent the
 * log once every voter has restarted.
 */
class ObserverQuorumTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int SNAPSHOT_THRESHOLD = 16;
    private static final int OBSERVER = 4;

    @TempDir
    Path dir;

    private QuorumVoters voters;
    private QuorumConfig.Address observerAddress;
    private final Map<Integer, MetadataQuorum> nodes = new TreeMap<>();

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

    private QuorumConfig config(int id) {
        QuorumConfig base = id == OBSERVER
                ? QuorumConfig.observer(id, voters, dir.resolve("node-" + id), observerAddress)
                : QuorumConfig.of(id, voters, dir.resolve("node-" + id));
        return base.withElectionTimeout(Duration.ofMillis(300), Duration.ofMillis(600))
                .withSnapshotThreshold(SNAPSHOT_THRESHOLD)
                .withLogSegmentBytes(2048)
                .withClientRetries(Duration.ofSeconds(1), 40);
    }

    private MetadataQuorum start(int id) throws IOException {
        MetadataQuorum node = MetadataQuorum.start(config(id));
        nodes.put(id, node);
        return node;
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

    private static long allocateSchemaId(MetadataClient client) {
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
    void shouldCatchAnObserverUpFromASnapshotAndKeepItFollowingWithoutItsVote() throws Exception {
        voters = QuorumVoters.parse(
                "1@127.0.0.1:" + freePort() + ",2@127.0.0.1:" + freePort() + ",3@127.0.0.1:" + freePort());
        observerAddress = new QuorumConfig.Address("127.0.0.1", freePort());
        for (int id = 1; id <= 3; id++) {
            start(id);
        }
        MetadataClient client = nodes.get(1).client();
        UUID incarnation = UUID.randomUUID();
        client.submitAndWait(
                new RegisterBroker(1, incarnation, List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092)), 0), WAIT);
        client.submitAndWait(new UnfenceBroker(1, incarnation, 0), WAIT);
        client.submitAndWait(CreateTopic.of("before", UUID.randomUUID(), List.of(List.of(1)), Map.of()), WAIT);
        for (int i = 0; i < 4 * SNAPSHOT_THRESHOLD; i++) {
            allocateSchemaId(client);
        }
        // the log that an observer joining now would need is gone: only the leader's snapshot can catch it up
        await().atMost(WAIT).until(() -> awaitLeader().logStartIndex() > 2);

        MetadataQuorum observer = start(OBSERVER);
        assertThat(observer.isObserver()).isTrue();
        assertThat(observer.isRatisListener()).isTrue();
        await("the voters list the observer").atMost(WAIT).until(observer::isListed);
        awaitSameImageOnEveryNode();
        assertThat(observer.image().topic("before")).isNotNull();
        assertThat(observer.snapshotsInstalled()).isGreaterThanOrEqualTo(1);
        assertThat(observer.leaderId()).isPresent();

        // the observer's own commands go to the voters and come back to it through the log
        long fromObserver = allocateSchemaId(observer.client());
        assertThat(fromObserver).isEqualTo(4L * SNAPSHOT_THRESHOLD + 1);
        awaitSameImageOnEveryNode();

        // a restarted observer resumes from its own storage and is still listed
        stop(OBSERVER);
        allocateSchemaId(client);
        observer = start(OBSERVER);
        await().atMost(WAIT).until(observer::isListed);
        awaitSameImageOnEveryNode();

        // the observer never leads and its copy of the log never makes a majority: with two voters down, the
        // third voter and the observer cannot commit
        assertThat(observer.isLeader()).isFalse();
        assertThat(observer.isRatisListener()).isTrue();
        assertThat(nodes.get(1).isRatisListener()).isFalse();
        int leaderId = awaitLeader().nodeId();
        List<Integer> others =
                List.of(1, 2, 3).stream().filter(id -> id != leaderId).toList();
        stop(others.get(0));
        allocateSchemaId(observer.client()); // one voter down: two of the three are still a majority
        stop(others.get(1));
        MetadataClient impatient = observer.client();
        assertThatThrownBy(() -> impatient.submitAndWait(new AllocateSchemaIds(1, 0), Duration.ofSeconds(3)))
                .isInstanceOf(QuorumUnavailableException.class);
        assertThat(observer.isLeader()).isFalse();

        // voters restarted from their storage still know the observer (the configuration is in their log), so
        // whichever of them leads now sends it the new entries
        stop(leaderId);
        for (int id = 1; id <= 3; id++) {
            start(id);
        }
        allocateSchemaId(observer.client());
        awaitSameImageOnEveryNode();
    }

    @Test
    void shouldRefuseAnObserverWithoutAnAddressAndAVoterCalledAnObserver() {
        QuorumVoters three = QuorumVoters.parse("1@127.0.0.1:9101,2@127.0.0.1:9102,3@127.0.0.1:9103");
        assertThatThrownBy(() -> QuorumConfig.of(4, three, dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("node 4 is not among the voters");
        assertThatThrownBy(() -> QuorumConfig.observer(2, three, dir, new QuorumConfig.Address("127.0.0.1", 9104)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is a voter");
        QuorumConfig observer = QuorumConfig.observer(4, three, dir, new QuorumConfig.Address("127.0.0.1", 9104));
        assertThat(observer.isObserver()).isTrue();
        assertThat(QuorumConfig.of(2, three, dir).isObserver()).isFalse();
        assertThat(QuorumConfig.singleNode(4, dir).isObserver()).isFalse();
    }
}
