package dev.tributary.log.epoch;

import java.util.ArrayList;
import java.util.List;

/** An {@link EpochCheckpoint} in memory that remembers every write, so cache tests need no files. */
final class ListCheckpoint implements EpochCheckpoint {
    final List<List<EpochEntry>> writes = new ArrayList<>();
    private List<EpochEntry> stored;

    ListCheckpoint(EpochEntry... initial) {
        this.stored = List.of(initial);
    }

    @Override
    public List<EpochEntry> read() {
        return stored;
    }

    @Override
    public void write(List<EpochEntry> entries) {
        stored = List.copyOf(entries);
        writes.add(stored);
    }

    List<EpochEntry> stored() {
        return stored;
    }
}
