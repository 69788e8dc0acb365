package dev.tributary.broker.protocol;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.replication.EpochLookup;
import dev.tributary.log.epoch.EpochEndOffset;
import org.apache.kafka.common.message.OffsetForLeaderEpochRequestData;
import org.apache.kafka.common.message.OffsetForLeaderEpochResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetsForLeaderEpochRequest;

/**
 * OffsetForLeaderEpoch v2-v4 (kafka-clients 4.x parses nothing older): for each partition, where a leader epoch
 * ended in this broker's log. Followers ask before fetching from a new leader (replica_id is theirs, v3+);
 * consumers ask after a leader change (replica_id -1). Only translation lives here; the answer is the
 * {@link EpochLookup}'s, and its exceptions become the partition's error through {@link ErrorCodes}, with
 * leader epoch and end offset -1.
 */
final class OffsetForLeaderEpochApi implements ApiGroup {
    private final EpochLookup epochs;

    OffsetForLeaderEpochApi(EpochLookup epochs) {
        this.epochs = epochs;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.OFFSET_FOR_LEADER_EPOCH, 2, 4, this::offsetForLeaderEpoch);
    }

    private void offsetForLeaderEpoch(RequestContext ctx, OffsetsForLeaderEpochRequest request) {
        ctx.respond(answer(request.data(), epochs));
    }

    /** The response to {@code data}, one partition at a time; pure but for what {@code epochs} does. */
    static OffsetForLeaderEpochResponseData answer(OffsetForLeaderEpochRequestData data, EpochLookup epochs) {
        OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResultCollection topics =
                new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResultCollection();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic t : data.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult result =
                    new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult().setTopic(t.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p : t.partitions()) {
                result.partitions().add(partition(t.topic(), p, epochs));
            }
            topics.add(result);
        }
        return new OffsetForLeaderEpochResponseData().setThrottleTimeMs(0).setTopics(topics);
    }

    private static OffsetForLeaderEpochResponseData.EpochEndOffset partition(
            String topic, OffsetForLeaderEpochRequestData.OffsetForLeaderPartition p, EpochLookup epochs) {
        OffsetForLeaderEpochResponseData.EpochEndOffset r =
                new OffsetForLeaderEpochResponseData.EpochEndOffset().setPartition(p.partition());
        try {
            EpochEndOffset found =
                    epochs.endOffsetFor(new PartitionId(topic, p.partition()), p.currentLeaderEpoch(), p.leaderEpoch());
            return r.setErrorCode(Errors.NONE.code())
                    .setLeaderEpoch(found.epoch())
                    .setEndOffset(found.endOffset());
        } catch (RuntimeException e) {
            return r.setErrorCode(ErrorCodes.code(e))
                    .setLeaderEpoch(EpochEndOffset.UNDEFINED_EPOCH)
                    .setEndOffset(EpochEndOffset.UNDEFINED_OFFSET);
        }
    }
}
