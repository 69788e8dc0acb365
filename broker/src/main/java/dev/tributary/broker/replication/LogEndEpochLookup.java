package dev.tributary.broker.replication;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.epoch.EpochEndOffset;
import java.util.function.ToLongFunction;

/**
 * The {@link EpochLookup} of a broker whose partitions keep no leader-epoch history yet (a single node, where one
 * leader has written everything): whatever epoch is asked about ends at the log end offset. A consumer that
 * validates its position after a leader change then keeps any position up to the log end, as it did when the
 * broker did not offer OffsetForLeaderEpoch at all; answering {@link EpochEndOffset#UNDEFINED} instead would make
 * kafka-clients treat every such position as truncated and reset it ({@code auto.offset.reset}).
 *
 * <p>Not for replication: a follower told "your epoch ends at my log end" keeps a divergent tail. The cluster
 * replaces this with a lookup over each partition's leader-epoch cache. The current leader epoch is not checked
 * (there is no history to check it against). Pure but for the {@code logEndOffset} function.
 */
public final class LogEndEpochLookup implements EpochLookup {
    private final ToLongFunction<PartitionId> logEndOffset;

    /**
     * @param logEndOffset the log end offset of a partition this broker serves; throws (e.g.
     *     UnknownTopicOrPartitionException) for any other
     */
    public LogEndEpochLookup(ToLongFunction<PartitionId> logEndOffset) {
        this.logEndOffset = logEndOffset;
    }

    @Override
    public EpochEndOffset endOffsetFor(PartitionId partition, int currentLeaderEpoch, int leaderEpoch) {
        long end = logEndOffset.applyAsLong(partition);
        if (leaderEpoch < 0) {
            return EpochEndOffset.UNDEFINED;
        }
        return new EpochEndOffset(leaderEpoch, end);
    }
}
