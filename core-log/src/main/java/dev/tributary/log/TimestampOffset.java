package dev.tributary.log;

/**
 * A timestamp and the offset it belongs to: an entry of a {@code .timeindex}, the answer of
 * {@link Log#offsetForTimestamp(long)}, or the largest timestamp of a log and where it is.
 * {@code timestamp} is -1 ({@link #NO_TIMESTAMP}) when there is none.
 */
public record TimestampOffset(long timestamp, long offset) {
    public static final long NO_TIMESTAMP = -1L;
    public static final TimestampOffset UNKNOWN = new TimestampOffset(NO_TIMESTAMP, -1L);
}
