package dev.tributary.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.MetadataCommand.AllocateSchemaIds;
import dev.tributary.metadata.command.MetadataCommand.BrokerHeartbeat;
import dev.tributary.metadata.command.MetadataCommand.CreateTopic;
import dev.tributary.metadata.command.MetadataCommand.RegisterBroker;
import dev.tributary.metadata.command.MetadataCommand.UnfenceBroker;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SingleNodeQuorumTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    @Test
    void shouldCommitAloneAndKeepTheImageAcrossARestart() throws Exception {
        UUID incarnation = UUID.randomUUID();
        UUID topicId = UUID.randomUUID();
        AtomicLong leaderClock = new AtomicLong(50_000);
        List<Long> changesSeen = new ArrayList<>();
        try (MetadataQuorum quorum = MetadataQuorum.start(QuorumConfig.singleNode(1, dir), leaderClock::get)) {
            quorum.addListener((previous, current) -> changesSeen.add(current.offset()));
            MetadataClient client = quorum.client();
            assertThat(client.submitAndWait(
                                    new RegisterBroker(
                                            1, incarnation, List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092)), 0),
                                    WAIT)
                            .accepted())
                    .isTrue();
            client.submitAndWait(new UnfenceBroker(1, incarnation, 0), WAIT);
            // the broker says time 7; the quorum leader's clock is what goes into the log
            assertThat(client.submitAndWait(new BrokerHeartbeat(1, incarnation, 7), WAIT))
                    .isEqualTo(new CommandResult.HeartbeatAccepted(false));
            assertThat(quorum.image().broker(1).lastHeartbeatMs()).isEqualTo(50_000);
            assertThat(client.submitAndWait(
                            CreateTopic.of(
                                    "orders", topicId, List.of(List.of(1), List.of(1)), Map.of("retention.ms", "1000")),
                            WAIT))
                    .isEqualTo(new CommandResult.TopicCreated(topicId, 2));
            assertThat(client.submitAndWait(new AllocateSchemaIds(5, 0), WAIT))
                    .isEqualTo(new CommandResult.IdRange(1, 5));
            assertThat(quorum.isLeader()).isTrue();
            assertThat(quorum.image().topic("orders").partitions()).hasSize(2);
            assertThat(client.readImage().get().topic("orders").topicId()).isEqualTo(topicId);
            assertThat(changesSeen).hasSize(5).isSorted();
        }
        try (MetadataQuorum again = MetadataQuorum.start(QuorumConfig.singleNode(1, dir))) {
            MetadataImage image = again.client().readImage().get();
            assertThat(image.topic("orders").topicId()).isEqualTo(topicId);
            assertThat(image.broker(1).incarnationId()).isEqualTo(incarnation);
            assertThat(again.client().submitAndWait(new AllocateSchemaIds(1, 0), WAIT))
                    .isEqualTo(new CommandResult.IdRange(6, 1));
        }
    }
}
