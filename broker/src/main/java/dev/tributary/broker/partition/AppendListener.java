package dev.tributary.broker.partition;

/** Told after every append, outside the append lock; wakes parked fetches. */
@FunctionalInterface
public interface AppendListener {
    void onAppend(PartitionId partition, int bytes);
}
