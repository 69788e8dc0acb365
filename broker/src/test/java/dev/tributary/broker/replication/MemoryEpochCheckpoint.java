package dev.tributary.broker.replication;

import dev.tributary.log.epoch.EpochCheckpoint;
import dev.tributary.log.epoch.EpochEntry;
import java.util.List;

/** A leader-epoch checkpoint in memory: what a replica's disk would hold, and survives its simulated crashes. */
final class MemoryEpochCheckpoint implements EpochCheckpoint {
    private List<EpochEntry> stored = List.of();

    @Override
    public List<EpochEntry> read() {
        return stored;
    }

    @Override
    public void write(List<EpochEntry> entries) {
        stored = List.copyOf(entries);
    }
}
