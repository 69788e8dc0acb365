package dev.tributary.broker.fetch;

import dev.tributary.broker.partition.PartitionId;

/** One partition of a fetch: where to start and its byte limit. */
public record FetchPartitionRequest(PartitionId id, long fetchOffset, int maxBytes) {}
