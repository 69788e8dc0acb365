package dev.tributary.broker.producer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One producer's state on one partition: its current epoch and its last {@value #MAX_CACHED_BATCHES}
 * appended batches. Five, because a Kafka producer keeps at most five requests in flight per partition
 * under idempotence ({@code max.in.flight.requests.per.connection <= 5}), so a retry can only ever repeat
 * one of the last five batches.
 *
 * <p>Not thread-safe; owned by its {@link ProducerStateManager}.
 */
public final class ProducerStateEntry {

    /** Batches remembered per producer for duplicate detection. */
    public static final int MAX_CACHED_BATCHES = 5;

    private final long producerId;
    private short epoch;
    private long lastTimestamp;
    private final ArrayDeque<BatchMetadata> batches = new ArrayDeque<>(MAX_CACHED_BATCHES);

    public ProducerStateEntry(long producerId, short epoch, long lastTimestamp) {
        this.producerId = producerId;
        this.epoch = epoch;
        this.lastTimestamp = lastTimestamp;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    public long lastTimestamp() {
        return lastTimestamp;
    }

    /** @return the last sequence appended under the current epoch, or -1 when none is known */
    public int lastSequence() {
        return batches.isEmpty() ? -1 : batches.peekLast().lastSequence();
    }

    /** @return the cached batches, oldest first */
    public List<BatchMetadata> batches() {
        return new ArrayList<>(batches);
    }

    /** @return the cached batch with exactly these sequences, or null */
    BatchMetadata findDuplicate(int firstSequence, int lastSequence) {
        for (BatchMetadata b : batches) {
            if (b.firstSequence() == firstSequence && b.lastSequence() == lastSequence) {
                return b;
            }
        }
        return null;
    }

    /**
     * Records an appended batch. A new epoch starts a fresh sequence space, so the batches of the old one
     * are forgotten.
     */
    void add(short batchEpoch, BatchMetadata batch) {
        if (batchEpoch != epoch) {
            batches.clear();
            epoch = batchEpoch;
        }
        if (batches.size() == MAX_CACHED_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
        lastTimestamp = Math.max(lastTimestamp, batch.timestamp());
    }

    /** Used when restoring from a snapshot. */
    void restoreBatch(BatchMetadata batch) {
        if (batches.size() == MAX_CACHED_BATCHES) {
            batches.removeFirst();
        }
        batches.addLast(batch);
    }
}
