package dev.tributary.log.epoch;

import java.util.List;

/**
 * Where a {@link LeaderEpochCache} keeps its entries: {@link LeaderEpochCheckpointFile} on disk, a list in tests.
 * {@link #write} replaces the whole content; it is called after every change of the cache.
 */
public interface EpochCheckpoint {
    /** The stored entries in the order written; empty when nothing was stored yet. */
    List<EpochEntry> read();

    void write(List<EpochEntry> entries);
}
