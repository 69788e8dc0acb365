package dev.tributary.broker.producer;

import java.io.IOException;
import java.nio.file.Path;

/** A producer-state snapshot that cannot be trusted; names the file, the byte position and what was wrong. */
public final class CorruptProducerSnapshotException extends IOException {

    public CorruptProducerSnapshotException(Path file, long position, String problem) {
        super("corrupt producer snapshot " + file + " at position " + position + ": " + problem);
    }
}
