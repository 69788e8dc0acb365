package dev.tributary.broker.append;

/**
 * The offsets one produce to one partition got, as the Produce response reports them.
 *
 * @param firstOffset base offset of the first batch
 * @param lastOffset last offset of the last batch
 * @param logAppendTime the broker's timestamp under LogAppendTime, else -1
 * @param logStartOffset the partition's log start offset after the append
 */
public record AppendResult(long firstOffset, long lastOffset, long logAppendTime, long logStartOffset) {}
