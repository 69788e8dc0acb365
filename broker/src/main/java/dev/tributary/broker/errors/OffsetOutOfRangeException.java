package dev.tributary.broker.errors;

/** A request offset outside what a partition holds (e.g. DeleteRecords above the high watermark). */
public class OffsetOutOfRangeException extends BrokerException {
    public OffsetOutOfRangeException(String message) {
        super(message);
    }
}
