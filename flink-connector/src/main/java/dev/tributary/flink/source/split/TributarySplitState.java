package dev.tributary.flink.source.split;

/**
 * The reader's progress through one split: the offset of the next record to emit.
 *
 * <p>Only the task's main thread (the record emitter and checkpointing) touches it, so it needs no
 * synchronisation.
 */
public final class TributarySplitState {

    private final TributarySplit split;
    private long nextOffset;

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

    public TributarySplit split() {
        return split;
    }

    /** The split to checkpoint: same range, starting where this reader has got to. */
    public TributarySplit toSplit() {
        return split.withStartingOffset(nextOffset);
    }
}
