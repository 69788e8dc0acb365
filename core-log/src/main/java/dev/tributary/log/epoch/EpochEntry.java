package dev.tributary.log.epoch;

/**
 * One line of the leader-epoch cache: leader epoch {@code epoch} wrote its first record at {@code startOffset}.
 * Both are non-negative; entries of a cache increase in both fields.
 */
public record EpochEntry(int epoch, long startOffset) {
    public EpochEntry {
        if (epoch < 0 || startOffset < 0) {
            throw new IllegalArgumentException(
                    "leader epoch entry needs a non-negative epoch and start offset, got epoch " + epoch
                            + " start offset " + startOffset);
        }
    }

    @Override
    public String toString() {
        return "(epoch " + epoch + " from " + startOffset + ")";
    }
}
