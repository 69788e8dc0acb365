package dev.tributary.log;

/** A batch bigger than {@code max.message.bytes}. Kafka maps this to {@code MESSAGE_TOO_LARGE}. */
public class RecordTooLargeException extends LogException {
    public RecordTooLargeException(String message, String source, long position, Object value) {
        super(message, source, position, value);
    }
}
