package dev.tributary.log.epoch;

/**
 * The answer to OffsetForLeaderEpoch: the largest epoch at or below the requested one that this log knows, and
 * the offset where that epoch ended (the start of the next epoch, or the log end offset for the latest).
 * {@link #UNDEFINED} ({@code -1, -1}) means the log cannot say (Kafka's {@code UNDEFINED_EPOCH} and
 * {@code UNDEFINED_EPOCH_OFFSET}).
 */
public record EpochEndOffset(int epoch, long endOffset) {
    public static final int UNDEFINED_EPOCH = -1;
    public static final long UNDEFINED_OFFSET = -1L;
    public static final EpochEndOffset UNDEFINED = new EpochEndOffset(UNDEFINED_EPOCH, UNDEFINED_OFFSET);

    public boolean isUndefined() {
        return endOffset == UNDEFINED_OFFSET;
    }
}
