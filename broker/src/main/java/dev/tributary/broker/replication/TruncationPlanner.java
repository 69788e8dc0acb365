package dev.tributary.broker.replication;

import dev.tributary.log.epoch.EpochEndOffset;
import dev.tributary.log.epoch.LeaderEpochCache;
import java.util.OptionalInt;

/**
 * Where a follower truncates its log before fetching from a new leader, so that it never keeps records the
 * leader does not have (a divergent tail written by an old leader that was never committed). Pure; Kafka's
 * rules (KIP-101 and KIP-279), so a follower of a Kafka leader and ours agree.
 *
 * <p>The exchange: the follower sends OffsetForLeaderEpoch with {@link #epochToRequest} (its latest epoch). The
 * leader answers {@code (E, end)}: the largest epoch at or below it that the leader has, and where E ended in the
 * leader's log ({@link LeaderEpochCache#endOffsetFor}). Then {@link #plan}:
 * <ol>
 *   <li>The leader cannot say ({@link EpochEndOffset#UNDEFINED}): truncate to the follower's high watermark,
 *       which every leader has.</li>
 *   <li>The leader answers without an epoch (an old protocol): truncate to its offset.</li>
 *   <li>The follower has epoch E too: both logs agree up to the smaller of the two ends of E; truncate there.</li>
 *   <li>The follower does not have E (its epochs skip it): truncate to where its largest epoch below E ends,
 *       then ask again with its new latest epoch ({@link TruncationPlan#complete()} is false). Each round drops
 *       at least one epoch, so it ends.</li>
 *   <li>The follower has no epoch at or below E: truncate to the leader's offset.</li>
 * </ol>
 * Never past the follower's own log end. A follower with no epochs at all does not ask:
 * {@link #withoutEpochs} truncates to its high watermark.
 *
 * <p>Carrying out a plan: truncate the log to {@code truncateTo} and the leader-epoch cache to
 * {@code min(truncateTo, logEndOffset)} <em>even when no record goes</em>. A replica that became leader and wrote
 * nothing has an entry for that epoch at its log end; left there, the follower would ask about it again and again
 * and never finish (the replication simulation found this; Kafka's {@code truncateTo} does the same).
 */
public final class TruncationPlanner {
    private TruncationPlanner() {}

    /**
     * @param truncateTo the new log end offset (keep offsets below it); at or past the log end means keep all
     * @param complete false when the follower must send another OffsetForLeaderEpoch after truncating
     */
    public record TruncationPlan(long truncateTo, boolean complete) {}

    /** The epoch the follower asks about; empty means "use {@link #withoutEpochs}". */
    public static OptionalInt epochToRequest(LeaderEpochCache followerCache) {
        return followerCache.latestEpoch();
    }

    public static TruncationPlan withoutEpochs(long followerHighWatermark, long followerLogEndOffset) {
        return new TruncationPlan(Math.min(followerHighWatermark, followerLogEndOffset), true);
    }

    public static TruncationPlan plan(
            LeaderEpochCache followerCache,
            long followerLogEndOffset,
            long followerHighWatermark,
            EpochEndOffset leaderAnswer) {
        if (leaderAnswer.isUndefined()) {
            return withoutEpochs(followerHighWatermark, followerLogEndOffset);
        }
        if (leaderAnswer.epoch() == EpochEndOffset.UNDEFINED_EPOCH) {
            return new TruncationPlan(Math.min(leaderAnswer.endOffset(), followerLogEndOffset), true);
        }
        EpochEndOffset ours = followerCache.endOffsetFor(leaderAnswer.epoch(), followerLogEndOffset);
        if (ours.isUndefined()) {
            return new TruncationPlan(Math.min(leaderAnswer.endOffset(), followerLogEndOffset), true);
        }
        if (ours.epoch() != leaderAnswer.epoch()) {
            return new TruncationPlan(Math.min(ours.endOffset(), followerLogEndOffset), false);
        }
        long end = Math.min(ours.endOffset(), leaderAnswer.endOffset());
        return new TruncationPlan(Math.min(end, followerLogEndOffset), true);
    }
}
