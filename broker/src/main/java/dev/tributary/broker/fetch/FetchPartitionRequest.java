package dev.tributary.broker.fetch;

import dev.tributary.broker.partition.PartitionId;

/**
 * One partition of a fetch: where to start, its byte limit, and the leader epoch the fetcher believes current
 * ({@code -1}: not checked).
 */
public record FetchPartitionRequest(PartitionId id, long fetchOffset, int maxBytes, int currentLeaderEpoch) {
    public FetchPartitionRequest(PartitionId id, long fetchOffset, int maxBytes) {
        this(id, fetchOffset, maxBytes, -1);
    }
}
