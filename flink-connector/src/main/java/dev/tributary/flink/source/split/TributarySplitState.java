package dev.tributary.flink.source.split;

import dev.tributary.flink.source.metrics.TributarySourceMetrics;

/**
 * The reader's progress through one split: the offset of the next record to emit.
 *
 * <p>Only the task's main thread (the record emitter and checkpointing) touches it, so it needs no
 * synchronisation.
 */
public final class TributarySplitState {

    private final TributarySplit split;
    private long nextOffset;
    /** Metrics handle of this split's partition, set by the emitter on first use (task thread only). */
    private TributarySourceMetrics.PartitionGauges gauges;

    public TributarySplitState(TributarySplit split) {
        this.split = split;
        this.nextOffset = split.startingOffset();
    }

    public long nextOffset() {
        return nextOffset;
    }

    public void setNextOffset(long nextOffset) {
        this.nextOffset = nextOffset;
    }

    public TributarySourceMetrics.PartitionGauges gauges() {
        return gauges;
    }

    public void setGauges(TributarySourceMetrics.PartitionGauges gauges) {
        this.gauges = gauges;
    }

    public TributarySplit split() {
        return split;
    }

    /** The split to checkpoint: same range, starting where this reader has got to. */
    public TributarySplit toSplit() {
        return split.withStartingOffset(nextOffset);
    }
}
