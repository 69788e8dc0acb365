package dev.tributary.log.epoch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which leader epoch wrote which offsets of one partition's log: a list of (epoch, start offset) entries, both
 * strictly increasing, kept in memory and mirrored to an {@link EpochCheckpoint} after every change. It answers
 * OffsetForLeaderEpoch on a leader and tells a follower where its log diverges from the leader's.
 *
 * <p>The rules, in the same terms as Kafka's leader-epoch cache so replicas of both agree:
 * <ul>
 *   <li>{@link #assign}: the first record of a new epoch adds an entry. An entry that adds nothing (the latest
 *       epoch again, at the same or a later offset) is ignored. Otherwise entries at the end that conflict with
 *       the new one (an epoch at or above it, or a start offset at or above its start) are removed first: they
 *       describe a tail that the log has since replaced.</li>
 *   <li>{@link #endOffsetFor}: see there; it is the OffsetForLeaderEpoch answer.</li>
 *   <li>{@link #truncateFromEnd}: after the log drops offsets {@code >= end}, entries starting there go.</li>
 *   <li>{@link #truncateFromStart}: after the log start moves to {@code start}, entries wholly before it go and
 *       the epoch that covers {@code start} is kept, moved to start there.</li>
 * </ul>
 *
 * <p>Thread-safe: every method holds the cache's monitor, so handler threads answering OffsetForLeaderEpoch may
 * read while the appender assigns. The checkpoint is written under the same monitor, so the file never goes
 * back to an older state than one already written.
 */
public final class LeaderEpochCache {
    private final EpochCheckpoint checkpoint;
    private final List<EpochEntry> entries = new ArrayList<>();

    /** Loads the checkpoint's entries, applying the {@link #assign} rules to them in order. */
    public LeaderEpochCache(EpochCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
        for (EpochEntry e : checkpoint.read()) {
            assignInMemory(e);
        }
    }

    /**
     * Records that {@code epoch} wrote its first record at {@code startOffset}.
     *
     * @return whether the cache changed (and the checkpoint was written)
     * @throws IllegalArgumentException for a negative epoch or offset
     */
    public synchronized boolean assign(int epoch, long startOffset) {
        if (!assignInMemory(new EpochEntry(epoch, startOffset))) {
            return false;
        }
        flush();
        return true;
    }

    private boolean assignInMemory(EpochEntry entry) {
        if (!entries.isEmpty()) {
            EpochEntry latest = entries.get(entries.size() - 1);
            // Same epoch again at the same or a later offset: every batch of an epoch reaches here, only the first
            // one (or a rewrite that starts it earlier) is news.
            if (latest.epoch() == entry.epoch() && entry.startOffset() >= latest.startOffset()) {
                return false;
            }
        }
        while (!entries.isEmpty()) {
            EpochEntry last = entries.get(entries.size() - 1);
            if (last.epoch() >= entry.epoch() || last.startOffset() >= entry.startOffset()) {
                entries.remove(entries.size() - 1);
            } else {
                break;
            }
        }
        entries.add(entry);
        return true;
    }

    public synchronized boolean isEmpty() {
        return entries.isEmpty();
    }

    /** All entries, oldest first. */
    public synchronized List<EpochEntry> entries() {
        return List.copyOf(entries);
    }

    public synchronized Optional<EpochEntry> latestEntry() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(entries.size() - 1));
    }

    public synchronized Optional<EpochEntry> earliestEntry() {
        return entries.isEmpty() ? Optional.empty() : Optional.of(entries.get(0));
    }

    /** The epoch that wrote the newest entry, empty when the cache is empty. */
    public synchronized OptionalInt latestEpoch() {
        return entries.isEmpty()
                ? OptionalInt.empty()
                : OptionalInt.of(entries.get(entries.size() - 1).epoch());
    }

    /** The start offset of {@code epoch}, if the cache has an entry for exactly that epoch. */
    public synchronized Optional<Long> startOffsetOf(int epoch) {
        for (EpochEntry e : entries) {
            if (e.epoch() == epoch) {
                return Optional.of(e.startOffset());
            }
        }
        return Optional.empty();
    }

    /**
     * The epoch whose range holds {@code offset}: the last entry starting at or before it. Empty for an offset
     * before the first entry. Offsets past the log end get the latest epoch; the caller knows its log end.
     */
    public synchronized OptionalInt epochForOffset(long offset) {
        OptionalInt found = OptionalInt.empty();
        for (EpochEntry e : entries) {
            if (e.startOffset() > offset) {
                break;
            }
            found = OptionalInt.of(e.epoch());
        }
        return found;
    }

    /**
     * The OffsetForLeaderEpoch answer for {@code requestedEpoch}, with Kafka's semantics:
     * <ul>
     *   <li>{@code requestedEpoch} is {@link EpochEndOffset#UNDEFINED_EPOCH}, or above every epoch known (so the
     *       cache cannot know where it ends; also the case of an empty cache): {@link EpochEndOffset#UNDEFINED}.</li>
     *   <li>{@code requestedEpoch} is the latest epoch: (it, {@code logEndOffset}); the latest epoch is still
     *       being written.</li>
     *   <li>Otherwise the largest known epoch at or below it, ending where the next known epoch starts.</li>
     *   <li>{@code requestedEpoch} below every known epoch (the older ones were deleted with old segments):
     *       ({@code requestedEpoch}, start of the earliest entry), so a follower fetches from the first offset
     *       this log still has an epoch for. (Kafka's javadoc still says UNDEFINED here; its code, since
     *       KIP-279, answers this way, and so do we.)</li>
     * </ul>
     */
    public synchronized EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        if (requestedEpoch == EpochEndOffset.UNDEFINED_EPOCH || entries.isEmpty()) {
            return EpochEndOffset.UNDEFINED;
        }
        EpochEntry latest = entries.get(entries.size() - 1);
        if (requestedEpoch == latest.epoch()) {
            return new EpochEndOffset(requestedEpoch, logEndOffset);
        }
        if (requestedEpoch > latest.epoch()) {
            return EpochEndOffset.UNDEFINED;
        }
        EpochEntry floor = null;
        EpochEntry higher = null;
        for (EpochEntry e : entries) {
            if (e.epoch() <= requestedEpoch) {
                floor = e;
            } else {
                higher = e;
                break;
            }
        }
        // higher is never null here: requestedEpoch < latest.epoch()
        if (floor == null) {
            return new EpochEndOffset(requestedEpoch, higher.startOffset());
        }
        return new EpochEndOffset(floor.epoch(), higher.startOffset());
    }

    /**
     * The log dropped every offset at or above {@code endOffset}: entries starting there go. A negative offset,
     * or one past the latest entry's start, changes nothing.
     */
    public synchronized void truncateFromEnd(long endOffset) {
        if (endOffset < 0) {
            return;
        }
        boolean changed = false;
        while (!entries.isEmpty() && entries.get(entries.size() - 1).startOffset() >= endOffset) {
            entries.remove(entries.size() - 1);
            changed = true;
        }
        if (changed) {
            flush();
        }
    }

    /**
     * The log start moved to {@code startOffset}: entries starting at or before it go, except that the last of
     * them is kept with its start moved to {@code startOffset}, because that epoch wrote the new first record.
     */
    public synchronized void truncateFromStart(long startOffset) {
        int covered = 0;
        while (covered < entries.size() && entries.get(covered).startOffset() <= startOffset) {
            covered++;
        }
        if (covered == 0) {
            return;
        }
        EpochEntry keep = new EpochEntry(entries.get(covered - 1).epoch(), startOffset);
        boolean changed = covered > 1 || !keep.equals(entries.get(0));
        entries.subList(0, covered).clear();
        entries.add(0, keep);
        if (changed) {
            flush();
        }
    }

    /** Forgets every entry (a follower that truncates its whole log). */
    public synchronized void clear() {
        if (!entries.isEmpty()) {
            entries.clear();
            flush();
        }
    }

    private void flush() {
        checkpoint.write(List.copyOf(entries));
    }

    @Override
    public synchronized String toString() {
        return "LeaderEpochCache" + entries;
    }
}
