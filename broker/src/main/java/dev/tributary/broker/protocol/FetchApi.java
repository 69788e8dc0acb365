package dev.tributary.broker.protocol;

import dev.tributary.broker.fetch.FetchParams;
import dev.tributary.broker.fetch.FetchPartitionRequest;
import dev.tributary.broker.fetch.FetchService;
import dev.tributary.broker.fetch.FetchedPartition;
import dev.tributary.broker.fetch.FileRegionTransfer;
import dev.tributary.broker.partition.PartitionId;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.FetchRequest;

/**
 * Fetch v4-v12 (topic names; v13+ would need topic ids). Sessionless: the response carries session id 0,
 * so clients send full fetch requests. Record data is never copied: each partition's records field is
 * a zero-copy region that {@link ResponseEncoder} hands to the socket with sendfile.
 *
 * <p>Only translation lives here: when to answer, long polling and re-reading are the
 * {@link FetchService}'s.
 */
final class FetchApi implements ApiGroup {
    private static final byte READ_COMMITTED = 1;
    private final FetchService fetches;

    FetchApi(FetchService fetches) {
        this.fetches = fetches;
    }

    @Override
    public void registerWith(ApiRegistry registry) {
        registry.register(ApiKeys.FETCH, 4, 12, this::fetch);
    }

    private void fetch(RequestContext ctx, FetchRequest request) {
        FetchRequestData data = request.data();
        List<FetchPartitionRequest> wanted = new ArrayList<>();
        for (FetchRequestData.FetchTopic t : data.topics()) {
            for (FetchRequestData.FetchPartition p : t.partitions()) {
                wanted.add(new FetchPartitionRequest(
                        new PartitionId(t.topic(), p.partition()),
                        p.fetchOffset(),
                        p.partitionMaxBytes(),
                        p.currentLeaderEpoch()));
            }
        }
        int maxBytes = data.maxBytes() <= 0 ? Integer.MAX_VALUE : data.maxBytes();
        byte isolation = data.isolationLevel();
        fetches.fetch(
                wanted,
                new FetchParams(data.minBytes(), maxBytes, data.maxWaitMs(), Math.max(-1, data.replicaId())),
                read -> ctx.respond(response(read, isolation)));
    }

    private static FetchResponseData response(List<FetchedPartition> read, byte isolationLevel) {
        List<FetchResponseData.FetchableTopicResponse> topics = new ArrayList<>();
        FetchResponseData.FetchableTopicResponse current = null;
        for (FetchedPartition f : read) {
            if (current == null || !current.topic().equals(f.id().topic())) {
                current = new FetchResponseData.FetchableTopicResponse().setTopic(f.id().topic());
                topics.add(current);
            }
            FetchResponseData.PartitionData pd = new FetchResponseData.PartitionData()
                    .setPartitionIndex(f.id().partition())
                    .setErrorCode(f.error() == null ? Errors.NONE.code() : ErrorCodes.code(f.error()))
                    .setHighWatermark(f.highWatermark())
                    .setLastStableOffset(f.highWatermark())
                    .setLogStartOffset(f.logStartOffset())
                    .setAbortedTransactions(isolationLevel == READ_COMMITTED ? new ArrayList<>() : null)
                    .setPreferredReadReplica(-1)
                    .setRecords(
                            f.records().isEmpty()
                                    ? MemoryRecords.EMPTY
                                    : new RegionRecords(new FileRegionTransfer(f.records())));
            current.partitions().add(pd);
        }
        return new FetchResponseData()
                .setThrottleTimeMs(0)
                .setErrorCode(Errors.NONE.code())
                .setSessionId(0)
                .setResponses(topics);
    }
}
