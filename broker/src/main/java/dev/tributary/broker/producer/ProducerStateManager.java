package dev.tributary.broker.producer;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The idempotent-producer state of one partition: for each producer id, its epoch and last five batches.
 * Pure state and decisions; the file it is saved to is {@link ProducerSnapshotFile}, the rebuilding after
 * a restart is {@link ProducerStateLoader}.
 *
 * <h2>Rules (Kafka's, for idempotent producers)</h2>
 * <ul>
 *   <li>A batch without a producer id is not checked.</li>
 *   <li>A producer the partition has no state for may start at any sequence: its state may have expired
 *       or been removed with old segments, and refusing it would wedge the producer.</li>
 *   <li>An epoch older than the current one is refused with {@link ProducerError#INVALID_PRODUCER_EPOCH}.</li>
 *   <li>A newer epoch must start at sequence 0.</li>
 *   <li>A batch whose first and last sequence equal a remembered batch is a duplicate: it is acknowledged
 *       with the original offsets and not written again.</li>
 *   <li>Otherwise its first sequence must follow the last appended one, or it is refused with
 *       {@link ProducerError#OUT_OF_ORDER_SEQUENCE_NUMBER}.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * The produce path calls {@link #check} and then {@link #onAppend} while it holds the partition's append
 * lock, so a retry racing its original is seen as a duplicate. Methods are synchronized so the expiry job
 * and snapshots may run from the scheduler thread.
 */
public final class ProducerStateManager {

    private final String partition;
    private final Map<Long, ProducerStateEntry> producers = new HashMap<>();
    /** The log offset up to which (exclusive) this state includes every batch; names the snapshot file. */
    private long mapEndOffset;

    /** @param partition the partition name used in messages, e.g. {@code orders-3} */
    public ProducerStateManager(String partition) {
        this.partition = partition;
    }

    public String partition() {
        return partition;
    }

    /** Checks a batch against the current state without changing it. */
    public synchronized SequenceCheck check(ProducerBatch batch) {
        return check(batch, null);
    }

    /**
     * Checks the batches of one produce request in order; a later batch of the same producer must follow
     * the earlier one. The first refusal or duplicate decides for the whole request, as in Kafka.
     */
    public synchronized SequenceCheck checkAll(List<ProducerBatch> batches) {
        Map<Long, ProducerBatch> previousInRequest = null;
        for (ProducerBatch batch : batches) {
            ProducerBatch previous = previousInRequest == null ? null : previousInRequest.get(batch.producerId());
            SequenceCheck result = check(batch, previous);
            if (!(result instanceof SequenceCheck.Append)) {
                return result;
            }
            if (batch.isIdempotent()) {
                if (previousInRequest == null) {
                    previousInRequest = new HashMap<>();
                }
                previousInRequest.put(batch.producerId(), batch);
            }
        }
        return SequenceCheck.APPEND;
    }

    private SequenceCheck check(ProducerBatch batch, ProducerBatch previousInRequest) {
        if (!batch.isIdempotent()) {
            return SequenceCheck.APPEND;
        }
        if (previousInRequest != null) {
            int expected = ProducerBatch.addSequence(previousInRequest.lastSequence(), 1);
            return batch.epoch() == previousInRequest.epoch() && batch.baseSequence() == expected
                    ? SequenceCheck.APPEND
                    : outOfOrder(batch, expected);
        }
        ProducerStateEntry entry = producers.get(batch.producerId());
        if (entry == null) {
            return SequenceCheck.APPEND;
        }
        if (batch.epoch() < entry.epoch()) {
            return new SequenceCheck.Rejected(
                    ProducerError.INVALID_PRODUCER_EPOCH,
                    "producer " + batch.producerId() + " on " + partition + " sent epoch " + batch.epoch()
                            + " but the current epoch is " + entry.epoch());
        }
        if (batch.epoch() > entry.epoch()) {
            return batch.baseSequence() == 0 ? SequenceCheck.APPEND : outOfOrder(batch, 0);
        }
        BatchMetadata duplicate = entry.findDuplicate(batch.baseSequence(), batch.lastSequence());
        if (duplicate != null) {
            return new SequenceCheck.Duplicate(duplicate);
        }
        int last = entry.lastSequence();
        if (last < 0) {
            return SequenceCheck.APPEND;
        }
        int expected = ProducerBatch.addSequence(last, 1);
        return batch.baseSequence() == expected ? SequenceCheck.APPEND : outOfOrder(batch, expected);
    }

    private SequenceCheck outOfOrder(ProducerBatch batch, int expected) {
        return new SequenceCheck.Rejected(
                ProducerError.OUT_OF_ORDER_SEQUENCE_NUMBER,
                "producer " + batch.producerId() + " epoch " + batch.epoch() + " on " + partition + " sent sequence "
                        + batch.baseSequence() + " but " + expected + " was expected");
    }

    /**
     * Records a batch the log has appended at {@code [firstOffset, lastOffset]}. Also used, without a
     * check, when replaying the log after a restart.
     */
    public synchronized void onAppend(ProducerBatch batch, long firstOffset, long lastOffset) {
        if (batch.isIdempotent()) {
            ProducerStateEntry entry = producers.computeIfAbsent(
                    batch.producerId(), id -> new ProducerStateEntry(id, batch.epoch(), batch.maxTimestamp()));
            entry.add(
                    batch.epoch(),
                    new BatchMetadata(
                            batch.baseSequence(), batch.lastSequence(), firstOffset, lastOffset, batch.maxTimestamp()));
        }
        mapEndOffset = Math.max(mapEndOffset, lastOffset + 1);
    }

    /**
     * Forgets producers whose last batch is older than {@code expirationMs} (Kafka's
     * {@code producer.id.expiration.ms}). Such a producer may come back; it then starts afresh.
     *
     * @return how many producers were removed
     */
    public synchronized int removeExpired(long nowMs, long expirationMs) {
        int removed = 0;
        for (Iterator<ProducerStateEntry> it = producers.values().iterator(); it.hasNext(); ) {
            if (nowMs - it.next().lastTimestamp() >= expirationMs) {
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** @return the offset after the last batch this state reflects */
    public synchronized long mapEndOffset() {
        return mapEndOffset;
    }

    /** Sets the offset after the last batch reflected, when the state is restored or the log is empty. */
    public synchronized void mapEndOffset(long offset) {
        mapEndOffset = offset;
    }

    /** @return a copy of the entries, for a snapshot */
    public synchronized List<ProducerStateEntry> entries() {
        List<ProducerStateEntry> copy = new ArrayList<>(producers.size());
        for (ProducerStateEntry e : producers.values()) {
            ProducerStateEntry c = new ProducerStateEntry(e.producerId(), e.epoch(), e.lastTimestamp());
            e.batches().forEach(c::restoreBatch);
            copy.add(c);
        }
        return copy;
    }

    /** @return the entry for a producer, or null */
    public synchronized ProducerStateEntry entry(long producerId) {
        return producers.get(producerId);
    }

    /** Replaces the state with entries read from a snapshot taken at {@code snapshotOffset}. */
    public synchronized void restore(Collection<ProducerStateEntry> entries, long snapshotOffset) {
        producers.clear();
        for (ProducerStateEntry e : entries) {
            producers.put(e.producerId(), e);
        }
        mapEndOffset = snapshotOffset;
    }

    /** Drops all state, e.g. before a rebuild from the start of the log. */
    public synchronized void clear() {
        producers.clear();
        mapEndOffset = 0;
    }

    public synchronized int producerCount() {
        return producers.size();
    }
}
