package dev.tributary.broker.group;

/**
 * An offset a group committed for one partition.
 *
 * @param offset          the next offset the group will read
 * @param leaderEpoch     the leader epoch the client saw with it, or -1
 * @param metadata        free text from the client, may be empty but not null
 * @param commitTimestamp broker time of the commit, for offset retention
 */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
    public CommittedOffset {
        if (metadata == null) {
            metadata = "";
        }
    }
}
