package dev.tributary.log;

/**
 * A follower's append ({@link Log#appendAsFollower}) whose batches do not continue the log: the first batch does
 * not start at the log end offset, or a batch does not start right after the previous one. The fetched data and
 * the follower's log disagree about where the log ends, so nothing was written; the fetcher has to find out where
 * it stands again (truncate, or fetch from the log end offset). {@link #expectedOffset()} is where the batch should
 * have started, {@link #foundOffset()} where it did.
 */
public class UnexpectedAppendOffsetException extends InvalidRecordException {
    private final long expectedOffset;
    private final long foundOffset;

    public UnexpectedAppendOffsetException(String message, String source, long expectedOffset, long foundOffset) {
        super(
                message + ": expected base offset " + expectedOffset + ", found " + foundOffset,
                source,
                expectedOffset,
                foundOffset);
        this.expectedOffset = expectedOffset;
        this.foundOffset = foundOffset;
    }

    public long expectedOffset() {
        return expectedOffset;
    }

    public long foundOffset() {
        return foundOffset;
    }
}
