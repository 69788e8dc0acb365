package dev.tributary.log.epoch;

import dev.tributary.log.LogException;

/**
 * A checkpoint file that does not follow its text format. {@link #source()} is the file,
 * {@link #position()} the 1-based line number and {@link #value()} the text found there. The broker treats it
 * as a damaged file (Kafka's {@code KAFKA_STORAGE_ERROR}), never as an empty checkpoint: silently dropping
 * leader epochs would let a follower keep a divergent tail.
 */
public class CheckpointFormatException extends LogException {
    public CheckpointFormatException(String message, String file, int line, Object value) {
        super("line " + line + ": " + message, file, line, value);
    }
}
