package dev.tributary.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.errors.FencedLeaderEpochException;
import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.errors.ReplicaFetchException;
import dev.tributary.broker.errors.UnknownLeaderEpochException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.network.SocketServer;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.epoch.EpochEndOffset;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OffsetForLeaderEpoch over a real listener with a lookup the test controls: the follower's client and the API
 * agree on the wire, and every refusal arrives as the exception it left as.
 */
class OffsetForLeaderEpochWireTest {

    @Test
    void shouldCarryAnswersAndRefusalsFromTheLookupToTheFollower() throws Exception {
        try (SocketServer server = new SocketServer(
                new SocketServer.Settings(new InetSocketAddress("127.0.0.1", 0), 1, 1, 1 << 20),
                new KafkaProtocol(List.of(new OffsetForLeaderEpochApi(OffsetForLeaderEpochApiTest.LOOKUP))))) {
            server.start();
            int port = server.boundAddress().getPort();
            List<ReplicaFetchClient.EpochQuery> queries = new ArrayList<>();
            for (int p = 0; p <= 6; p++) {
                queries.add(new ReplicaFetchClient.EpochQuery(new PartitionId("t", p), 4, 7));
            }
            queries.add(new ReplicaFetchClient.EpochQuery(new PartitionId("u", 0), -1, 2));

            List<ReplicaFetchClient.EpochAnswer> got;
            try (ReplicaFetchClient c =
                    new ReplicaFetchClient("127.0.0.1", port, 2, "replica-2", Duration.ofSeconds(10))) {
                got = c.offsetsForLeaderEpoch(queries);
            }

            assertThat(got)
                    .extracting(ReplicaFetchClient.EpochAnswer::id)
                    .containsExactlyElementsOf(queries.stream()
                            .map(ReplicaFetchClient.EpochQuery::id)
                            .toList());
            assertThat(got.get(0).error()).isNull();
            assertThat(got.get(0).answer()).isEqualTo(new EpochEndOffset(3, 46));
            assertThat(got.get(1).error()).isInstanceOf(FencedLeaderEpochException.class);
            assertThat(got.get(2).error()).isInstanceOf(UnknownLeaderEpochException.class);
            assertThat(got.get(3).error())
                    .isInstanceOf(NotLeaderOrFollowerException.class)
                    .hasMessageContaining("t-3")
                    .hasMessageContaining("127.0.0.1:" + port);
            assertThat(got.get(4).error()).isInstanceOf(UnknownTopicOrPartitionException.class);
            assertThat(got.get(5).error())
                    .isInstanceOfSatisfying(
                            ReplicaFetchException.class,
                            e -> assertThat(e.errorName()).isEqualTo("UNKNOWN_SERVER_ERROR"));
            assertThat(got.get(6).error()).isNull();
            assertThat(got.get(6).answer()).isEqualTo(EpochEndOffset.UNDEFINED);
            assertThat(got.get(7).answer()).isEqualTo(new EpochEndOffset(2, 41));
            assertThat(got.subList(1, 6)).allSatisfy(a -> assertThat(a.answer()).isEqualTo(EpochEndOffset.UNDEFINED));
        }
    }
}
