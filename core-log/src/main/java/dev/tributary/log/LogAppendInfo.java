package dev.tributary.log;

/**
 * What one {@link Log#append} wrote.
 *
 * @param firstOffset         offset assigned to the first record
 * @param lastOffset          offset assigned to the last record
 * @param maxTimestamp        largest record timestamp appended (the append time under LogAppendTime)
 * @param offsetOfMaxTimestamp last offset of the batch holding {@code maxTimestamp} (Kafka's "shallow" offset)
 * @param logAppendTime       the broker time stamped on the batches, or -1 under CreateTime
 * @param recordCount         number of records
 * @param batchCount          number of batches
 * @param sizeInBytes         bytes written to the segment
 * @param logStartOffset      the log start offset after the append
 */
public record LogAppendInfo(
        long firstOffset,
        long lastOffset,
        long maxTimestamp,
        long offsetOfMaxTimestamp,
        long logAppendTime,
        int recordCount,
        int batchCount,
        int sizeInBytes,
        long logStartOffset) {}
