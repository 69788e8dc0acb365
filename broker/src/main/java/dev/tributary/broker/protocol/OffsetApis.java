package dev.tributary.broker.protocol;

import dev.tributary.broker.BrokerServices;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.OffsetOutOfRangeException;
import dev.tributary.log.TimestampOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.message.DeleteRecordsRequestData;
import org.apache.kafka.common.message.DeleteRecordsResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DeleteRecordsRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;

/** ListOffsets (earliest, latest, by timestamp, max timestamp) and DeleteRecords. */
final class OffsetApis implements ApiGroup {
    private final BrokerServices services;

    OffsetApis(BrokerServices services) {
        this.services = services;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.LIST_OFFSETS, 1, 10, this::listOffsets);
        registry.register(ApiKeys.DELETE_RECORDS, 0, 2, this::deleteRecords);
    }

    private Partition partition(String topic, int index) {
        return services.partitions().serving(new PartitionId(topic, index));
    }

    private void listOffsets(RequestContext ctx, ListOffsetsRequest request) {
        ListOffsetsRequestData data = request.data();
        List<ListOffsetsResponseData.ListOffsetsTopicResponse> topics = new ArrayList<>();
        for (ListOffsetsRequestData.ListOffsetsTopic t : data.topics()) {
            List<ListOffsetsResponseData.ListOffsetsPartitionResponse> parts = new ArrayList<>();
            for (ListOffsetsRequestData.ListOffsetsPartition lp : t.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse r =
                        new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(lp.partitionIndex());
                try {
                    TimestampOffset found = lookup(partition(t.name(), lp.partitionIndex()), lp.timestamp());
                    r.setErrorCode(Errors.NONE.code())
                            .setTimestamp(found.timestamp())
                            .setOffset(found.offset());
                    if (ctx.apiVersion() >= 4) { // leader epoch is not in v1-v3
                        r.setLeaderEpoch(found.offset() < 0 ? -1 : 0);
                    }
                } catch (RuntimeException e) {
                    r.setErrorCode(ErrorCodes.code(e)).setTimestamp(-1).setOffset(-1);
                }
                parts.add(r);
            }
            topics.add(new ListOffsetsResponseData.ListOffsetsTopicResponse()
                    .setName(t.name())
                    .setPartitions(parts));
        }
        ctx.respond(new ListOffsetsResponseData().setThrottleTimeMs(0).setTopics(topics));
    }

    /** Kafka's special timestamps: -1 latest, -2 earliest, -3 max timestamp, -4 earliest local. */
    static TimestampOffset lookup(Partition p, long timestamp) {
        if (timestamp == ListOffsetsRequest.LATEST_TIMESTAMP) {
            return new TimestampOffset(-1, p.highWatermark());
        }
        if (timestamp == ListOffsetsRequest.EARLIEST_TIMESTAMP
                || timestamp == ListOffsetsRequest.EARLIEST_LOCAL_TIMESTAMP) {
            return new TimestampOffset(-1, p.logStartOffset());
        }
        if (timestamp == ListOffsetsRequest.MAX_TIMESTAMP) {
            TimestampOffset max = p.maxTimestamp();
            return max == null || max.offset() < 0 ? TimestampOffset.UNKNOWN : max;
        }
        if (timestamp < 0) {
            // latest tiered / earliest pending upload: no tiered storage here
            return TimestampOffset.UNKNOWN;
        }
        Optional<TimestampOffset> found = p.offsetForTimestamp(timestamp);
        return found.orElse(TimestampOffset.UNKNOWN);
    }

    private void deleteRecords(RequestContext ctx, DeleteRecordsRequest request) {
        DeleteRecordsRequestData data = request.data();
        DeleteRecordsResponseData.DeleteRecordsTopicResultCollection topics =
                new DeleteRecordsResponseData.DeleteRecordsTopicResultCollection();
        for (DeleteRecordsRequestData.DeleteRecordsTopic t : data.topics()) {
            DeleteRecordsResponseData.DeleteRecordsPartitionResultCollection parts =
                    new DeleteRecordsResponseData.DeleteRecordsPartitionResultCollection();
            for (DeleteRecordsRequestData.DeleteRecordsPartition dp : t.partitions()) {
                DeleteRecordsResponseData.DeleteRecordsPartitionResult r =
                        new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
                                .setPartitionIndex(dp.partitionIndex());
                try {
                    Partition p = partition(t.name(), dp.partitionIndex());
                    if (dp.offset() > p.highWatermark() || dp.offset() < -1) {
                        throw new OffsetOutOfRangeException(
                                p.id().toString(), dp.offset(), p.logStartOffset(), p.highWatermark());
                    }
                    r.setErrorCode(Errors.NONE.code()).setLowWatermark(p.deleteRecordsBefore(dp.offset()));
                } catch (RuntimeException e) {
                    r.setErrorCode(ErrorCodes.code(e)).setLowWatermark(-1);
                }
                parts.add(r);
            }
            topics.add(new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                    .setName(t.name())
                    .setPartitions(parts));
        }
        ctx.respond(new DeleteRecordsResponseData().setThrottleTimeMs(0).setTopics(topics));
    }
}
