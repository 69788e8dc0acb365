package dev.tributary.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.errors.FencedLeaderEpochException;
import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.errors.UnknownLeaderEpochException;
import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.replication.EpochLookup;
import dev.tributary.log.epoch.EpochEndOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/** The translation of OffsetForLeaderEpoch requests to {@link EpochLookup} calls and back, without a broker. */
class OffsetForLeaderEpochApiTest {

    /** Answers per partition number: 0 an answer, 1..4 the lookup's four refusals, 5 a bug. */
    static final EpochLookup LOOKUP = (p, current, epoch) -> switch (p.partition()) {
        case 0 -> new EpochEndOffset(Math.min(epoch, 3), 42L + current);
        case 1 -> throw new FencedLeaderEpochException(p + ": epoch " + current + " is older than 4");
        case 2 -> throw new UnknownLeaderEpochException(p + ": epoch " + current + " is newer than 4");
        case 3 -> throw new NotLeaderOrFollowerException(p + " is led by another broker");
        case 4 -> throw new UnknownTopicOrPartitionException(p + " does not exist");
        case 6 -> EpochEndOffset.UNDEFINED;
        default -> throw new IllegalStateException("bug");
    };

    private static OffsetForLeaderEpochRequestData request(int... partitions) {
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopic().setTopic("t");
        for (int p : partitions) {
            topic.partitions()
                    .add(new OffsetForLeaderEpochRequestData.OffsetForLeaderPartition()
                            .setPartition(p)
                            .setCurrentLeaderEpoch(4)
                            .setLeaderEpoch(7));
        }
        OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection topics =
                new OffsetForLeaderEpochRequestData.OffsetForLeaderTopicCollection();
        topics.add(topic);
        return new OffsetForLeaderEpochRequestData().setReplicaId(2).setTopics(topics);
    }

    @Test
    void shouldAnswerEachPartitionWithTheLookupsEpochAndEndOffset() {
        List<Object[]> calls = new ArrayList<>();
        EpochLookup recording = (p, current, epoch) -> {
            calls.add(new Object[] {p, current, epoch});
            return LOOKUP.endOffsetFor(p, current, epoch);
        };

        OffsetForLeaderEpochResponseData r = OffsetForLeaderEpochApi.answer(request(0, 6), recording);

        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).containsExactly(new PartitionId("t", 0), 4, 7);
        OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult t =
                r.topics().find("t");
        assertThat(t.partitions()).hasSize(2);
        assertThat(t.partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code());
        assertThat(t.partitions().get(0).leaderEpoch()).isEqualTo(3);
        assertThat(t.partitions().get(0).endOffset()).isEqualTo(46);
        assertThat(t.partitions().get(1).partition()).isEqualTo(6);
        assertThat(t.partitions().get(1).leaderEpoch()).isEqualTo(-1);
        assertThat(t.partitions().get(1).endOffset()).isEqualTo(-1);
    }

    @Test
    void shouldAnswerEachRefusalWithItsKafkaErrorAndUndefinedOffsets() {
        OffsetForLeaderEpochResponseData r = OffsetForLeaderEpochApi.answer(request(1, 2, 3, 4, 5), LOOKUP);

        List<OffsetForLeaderEpochResponseData.EpochEndOffset> parts =
                r.topics().find("t").partitions();
        assertThat(parts)
                .extracting(p -> Errors.forCode(p.errorCode()))
                .containsExactly(
                        Errors.FENCED_LEADER_EPOCH,
                        Errors.UNKNOWN_LEADER_EPOCH,
                        Errors.NOT_LEADER_OR_FOLLOWER,
                        Errors.UNKNOWN_TOPIC_OR_PARTITION,
                        Errors.UNKNOWN_SERVER_ERROR);
        assertThat(parts).allSatisfy(p -> {
            assertThat(p.leaderEpoch()).isEqualTo(-1);
            assertThat(p.endOffset()).isEqualTo(-1);
        });
    }
}
