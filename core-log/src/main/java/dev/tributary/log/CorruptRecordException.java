package dev.tributary.log;

/**
 * A record batch whose bytes are damaged: a bad CRC32C, a wrong magic byte, an impossible length, or records
 * that do not match the batch header. Kafka maps this to {@code CORRUPT_MESSAGE}.
 */
public class CorruptRecordException extends LogException {
    public CorruptRecordException(String message, String source, long position, Object value) {
        super(message, source, position, value);
    }
}
