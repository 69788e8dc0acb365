package dev.tributary.broker.group;

import java.io.IOException;

/** A record in {@code __consumer_offsets} that cannot be decoded; names its offset and the problem. */
public final class CorruptGroupRecordException extends IOException {

    private final long offset;

    public CorruptGroupRecordException(long offset, String problem) {
        super("corrupt record in " + ConsumerOffsetsRecords.TOPIC + "-0 at offset " + offset + ": " + problem);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
