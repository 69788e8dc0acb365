package dev.tributary.log;

/**
 * A well-formed batch that breaks a rule of the log: an empty batch, a control batch from a client, offset
 * deltas out of order. Kafka maps this to {@code INVALID_RECORD}.
 */
public class InvalidRecordException extends LogException {
    public InvalidRecordException(String message, String source, long position, Object value) {
        super(message, source, position, value);
    }
}
