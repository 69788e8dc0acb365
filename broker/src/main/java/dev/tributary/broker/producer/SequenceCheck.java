package dev.tributary.broker.producer;

/**
 * The outcome of checking an incoming batch against a partition's producer state. All three outcomes are
 * expected in normal operation, so they are values rather than exceptions.
 */
public sealed interface SequenceCheck {

    /** The batch is next in sequence (or carries no producer id) and may be appended. */
    record Append() implements SequenceCheck {}

    /** The batch was appended before; acknowledge it with its original offsets and write nothing. */
    record Duplicate(BatchMetadata original) implements SequenceCheck {}

    /** The batch must be refused with this error; the message names the producer, epoch and sequences. */
    record Rejected(ProducerError error, String message) implements SequenceCheck {}

    /** The one {@link Append} instance. */
    Append APPEND = new Append();
}
