package dev.tributary.log;

/**
 * A read outside {@code [logStartOffset, logEndOffset]}. Carries both bounds so the broker can answer
 * {@code OFFSET_OUT_OF_RANGE} and a consumer can reset.
 */
public class OffsetOutOfRangeException extends LogException {
    private final long logStartOffset;
    private final long logEndOffset;

    public OffsetOutOfRangeException(String source, long offset, long logStartOffset, long logEndOffset) {
        super("offset " + offset + " outside [" + logStartOffset + ", " + logEndOffset + "]", source, offset, offset);
        this.logStartOffset = logStartOffset;
        this.logEndOffset = logEndOffset;
    }

    public long requestedOffset() {
        return position();
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }
}
