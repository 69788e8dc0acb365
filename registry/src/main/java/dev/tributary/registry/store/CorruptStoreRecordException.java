package dev.tributary.registry.store;

import java.nio.charset.StandardCharsets;

/** A record of the {@code _schemas} topic that {@link SchemasTopicFormat} cannot read; names offset and bytes. */
public class CorruptStoreRecordException extends RuntimeException {
    private final long offset;

    public CorruptStoreRecordException(long offset, byte[] bytes, String reason) {
        super("Unreadable _schemas record at offset " + offset + " (" + reason + "): " + preview(bytes));
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }

    private static String preview(byte[] bytes) {
        if (bytes == null) {
            return "null";
        }
        String text = new String(bytes, 0, Math.min(bytes.length, 120), StandardCharsets.UTF_8);
        return "'" + text + (bytes.length > 120 ? "...'" : "'") + " (" + bytes.length + " bytes)";
    }
}
