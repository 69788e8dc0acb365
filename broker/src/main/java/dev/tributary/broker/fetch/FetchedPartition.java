package dev.tributary.broker.fetch;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.FileRegion;

/**
 * What a fetch returns for one partition: either an error (mapped to a Kafka code by the protocol
 * adapter) or a zero-copy region, with the offsets a consumer needs.
 *
 * @param error null, or e.g. UnknownTopicOrPartitionException / core-log's OffsetOutOfRangeException
 * @param throttled a follower's read held back by the replication throttle (no records although there are some)
 */
public record FetchedPartition(
        PartitionId id,
        RuntimeException error,
        long highWatermark,
        long logStartOffset,
        FileRegion records,
        boolean throttled) {

    public FetchedPartition(
            PartitionId id, RuntimeException error, long highWatermark, long logStartOffset, FileRegion records) {
        this(id, error, highWatermark, logStartOffset, records, false);
    }

    static FetchedPartition failed(PartitionId id, RuntimeException error, long hw, long start) {
        return new FetchedPartition(id, error, hw, start, FileRegion.empty());
    }
}
