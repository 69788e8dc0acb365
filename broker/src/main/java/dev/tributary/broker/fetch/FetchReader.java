package dev.tributary.broker.fetch;

import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.replication.ReplicationThrottle;
import dev.tributary.log.FileRegion;
import dev.tributary.log.OffsetOutOfRangeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the partitions of one fetch under a {@link FetchBudget}. Produces zero-copy regions only; no
 * record byte is read into the heap here. A follower's read of a throttled replica out of the ISR returns nothing
 * while the leader's {@link ReplicationThrottle} rate is exceeded.
 */
final class FetchReader {
    private final PartitionManager partitions;
    private final ReplicationThrottle throttle;

    FetchReader(PartitionManager partitions, ReplicationThrottle throttle) {
        this.partitions = partitions;
        this.throttle = throttle;
    }

    List<FetchedPartition> read(List<FetchPartitionRequest> requests, FetchParams params, long nowMs) {
        int responseMaxBytes = params.maxBytes();
        boolean follower = params.fromFollower();
        FetchBudget budget = new FetchBudget(responseMaxBytes);
        List<FetchedPartition> out = new ArrayList<>(requests.size());
        for (FetchPartitionRequest r : requests) {
            Partition p = partitions.get(r.id());
            if (p == null) {
                out.add(FetchedPartition.failed(r.id(), partitions.notHosted(r.id()), -1, -1));
                continue;
            }
            long hw = p.highWatermark();
            long start = p.logStartOffset();
            try {
                p.checkLeader(r.currentLeaderEpoch());
                FileRegion region;
                boolean throttled = false;
                if (follower) {
                    p.onFollowerFetch(params.replicaId(), r.fetchOffset(), nowMs);
                    hw = p.highWatermark();
                    boolean quota = p.isLeaderThrottled() && !p.isr().contains(params.replicaId());
                    throttled = quota
                            && r.fetchOffset() < p.logEndOffset()
                            && throttle.leaderQuota().isExceeded(nowMs);
                    region = throttled || r.fetchOffset() == p.logEndOffset()
                            ? FileRegion.empty()
                            : p.read(r.fetchOffset(), budget.askFor(r.maxBytes()));
                    if (!budget.accept(region.length(), r.maxBytes())) {
                        region = FileRegion.empty();
                    }
                    if (quota && region.length() > 0) {
                        throttle.leaderQuota().record(region.length(), nowMs);
                    }
                    out.add(new FetchedPartition(r.id(), null, hw, start, region, throttled));
                    continue;
                } else {
                    region = r.fetchOffset() == hw
                            ? FileRegion.empty()
                            : p.readCommitted(r.fetchOffset(), budget.askFor(r.maxBytes()));
                }
                if (!budget.accept(region.length(), r.maxBytes())) {
                    region = FileRegion.empty();
                }
                out.add(new FetchedPartition(r.id(), null, hw, start, region));
            } catch (OffsetOutOfRangeException e) {
                out.add(FetchedPartition.failed(r.id(), e, e.logEndOffset(), e.logStartOffset()));
            } catch (RuntimeException e) {
                out.add(FetchedPartition.failed(r.id(), e, hw, start));
            }
        }
        return out;
    }

    /** Total record bytes in a read, for min.bytes. */
    static long bytes(List<FetchedPartition> read) {
        long n = 0;
        for (FetchedPartition f : read) {
            n += f.records().length();
        }
        return n;
    }
}
