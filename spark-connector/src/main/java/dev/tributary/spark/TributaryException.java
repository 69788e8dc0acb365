package dev.tributary.spark;

/**
 * The one exception type the connector throws for its own errors. {@link #errorId()} is a stable,
 * documented identifier (see {@link TributaryErrors}) that users can match on; the message names the
 * option, topic-partition, offset or value involved.
 */
public final class TributaryException extends RuntimeException {
    private final String errorId;

    TributaryException(String errorId, String message, Throwable cause) {
        super("[" + errorId + "] " + message, cause);
        this.errorId = errorId;
    }

    /** Stable identifier such as {@code TRIBUTARY_DATA_LOSS}. */
    public String errorId() {
        return errorId;
    }
}
