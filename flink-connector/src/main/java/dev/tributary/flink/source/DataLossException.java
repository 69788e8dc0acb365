package dev.tributary.flink.source;

import org.apache.kafka.common.TopicPartition;

/**
 * The job needed offsets that the broker no longer has: retention (or DeleteRecords) moved the log start
 * past the reader's position. Thrown only when the source was built with {@code failOnDataLoss(true)};
 * otherwise the loss is counted in the {@code dataLossRecords} metric and reading continues at the log
 * start.
 */
public final class DataLossException extends RuntimeException {

    private final TopicPartition partition;
    private final long requestedOffset;
    private final long logStartOffset;

    public DataLossException(TopicPartition partition, long requestedOffset, long logStartOffset) {
        super("data loss on " + partition + ": the job needs offset " + requestedOffset
                + " but the log now starts at " + logStartOffset + " (" + (logStartOffset - requestedOffset)
                + " records deleted by retention); set failOnDataLoss=false to count the loss and continue");
        this.partition = partition;
        this.requestedOffset = requestedOffset;
        this.logStartOffset = logStartOffset;
    }

    public TopicPartition partition() {
        return partition;
    }

    public long requestedOffset() {
        return requestedOffset;
    }

    public long logStartOffset() {
        return logStartOffset;
    }
}
