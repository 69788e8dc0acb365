package dev.tributary.broker.producer;

import dev.tributary.broker.append.AppendDecision;
import dev.tributary.broker.append.AppendResult;
import dev.tributary.broker.append.ProduceValidator;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.record.RecordBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The produce path's sequence checks: the broker calls {@link #beforeAppend} and {@link #afterAppend}
 * under each partition's append lock. Holds one {@link ProducerStateManager} per partition, loaded the
 * first time an idempotent batch arrives for it (snapshot plus replay of the log, see
 * {@link ProducerStateLoader}); partitions only ever written by plain producers never load any state.
 *
 * <p>If a partition's log end offset is below what its state has seen, the log was deleted and
 * re-created (or truncated), and the state is loaded afresh.
 */
public final class IdempotentProducers implements ProduceValidator {

    private static final Logger LOG = LoggerFactory.getLogger(IdempotentProducers.class);

    /** What the producer-state code needs to know about a partition's log. */
    public interface PartitionLog {
        Path dir();

        long logStartOffset();

        long logEndOffset();

        /** Where a rebuild without snapshot starts; by default the log start. */
        default long replayFloor() {
            return logStartOffset();
        }

        Iterator<RecordBatch> batches(long fromOffset);
    }

    private final Function<PartitionId, PartitionLog> logs;
    private final Map<PartitionId, ProducerStateManager> states = new ConcurrentHashMap<>();
    /** The map end offset of each partition's last snapshot, to skip partitions that did not change. */
    private final Map<PartitionId, Long> snapshotted = new ConcurrentHashMap<>();

    public IdempotentProducers(Function<PartitionId, PartitionLog> logs) {
        this.logs = logs;
    }

    @Override
    public AppendDecision beforeAppend(PartitionId partition, ByteBuffer batches, long logEndOffset) {
        List<ProducerBatch> parsed = parse(batches);
        ProducerStateManager state = states.get(partition);
        boolean idempotent = parsed.stream().anyMatch(ProducerBatch::isIdempotent);
        if (!idempotent) {
            return AppendDecision.append();
        }
        if (state == null || state.mapEndOffset() != logEndOffset) {
            // not loaded, or the log moved without this state: truncated, or written as a follower's replica
            state = load(partition);
        }
        SequenceCheck check = state.checkAll(parsed);
        if (check instanceof SequenceCheck.Duplicate d) {
            LOG.debug(
                    "Duplicate batch on {}: acknowledging offsets {}..{} again",
                    partition,
                    d.original().firstOffset(),
                    d.original().lastOffset());
            PartitionLog log = logs.apply(partition);
            return AppendDecision.duplicate(new AppendResult(
                    d.original().firstOffset(),
                    d.original().lastOffset(),
                    -1L,
                    log == null ? 0 : log.logStartOffset()));
        }
        if (check instanceof SequenceCheck.Rejected r) {
            throw r.error().exception(r.message());
        }
        return AppendDecision.append();
    }

    @Override
    public void afterAppend(PartitionId partition, ByteBuffer batches, AppendResult result) {
        ProducerStateManager state = states.get(partition);
        if (state == null) {
            return; // loaded from the log when first needed
        }
        long offset = result.firstOffset();
        RecordBatch flyweight = new RecordBatch();
        int pos = batches.position();
        while (pos < batches.limit()) {
            flyweight.wrap(batches, pos);
            long last = offset + flyweight.lastOffsetDelta();
            state.onAppend(toProducerBatch(flyweight), offset, last);
            offset = last + 1;
            pos += flyweight.sizeInBytes();
        }
    }

    private ProducerStateManager load(PartitionId partition) {
        PartitionLog log = logs.apply(partition);
        ProducerStateManager state = new ProducerStateManager(partition.toString());
        try {
            long from = ProducerStateLoader.load(
                    log.dir(),
                    state,
                    log.logStartOffset(),
                    log.replayFloor(),
                    log.logEndOffset(),
                    start -> loggedBatches(log.batches(start)));
            LOG.info(
                    "Loaded producer state of {}: {} producers, replayed the log from offset {} to {}",
                    partition,
                    state.producerCount(),
                    from,
                    log.logEndOffset());
        } catch (IOException e) {
            throw new UncheckedIOException("loading producer state of " + partition + " from " + log.dir(), e);
        }
        states.put(partition, state);
        return state;
    }

    private static Iterator<LoggedBatch> loggedBatches(Iterator<RecordBatch> batches) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public LoggedBatch next() {
                RecordBatch b = batches.next();
                return new LoggedBatch(toProducerBatch(b), b.baseOffset(), b.lastOffset());
            }
        };
    }

    private static List<ProducerBatch> parse(ByteBuffer batches) {
        List<ProducerBatch> out = new ArrayList<>(1);
        RecordBatch flyweight = new RecordBatch();
        int pos = batches.position();
        // Only whole headers are read here; core-log validates sizes and CRCs before anything is written.
        while (batches.limit() - pos >= RecordBatch.HEADER_SIZE) {
            flyweight.wrap(batches, pos);
            out.add(toProducerBatch(flyweight));
            int size = flyweight.sizeInBytes();
            if (size <= 0) {
                break;
            }
            pos += size;
        }
        return out;
    }

    private static ProducerBatch toProducerBatch(RecordBatch b) {
        return new ProducerBatch(
                b.isControlBatch() ? ProducerBatch.NO_PRODUCER_ID : b.producerId(),
                b.producerEpoch(),
                b.baseSequence(),
                Math.max(1, b.lastOffsetDelta() + 1),
                b.maxTimestamp());
    }

    /** Forgets producers idle for {@code expirationMs} on every loaded partition (producer.id.expiration.ms). */
    public void removeExpired(long nowMs, long expirationMs) {
        states.forEach((partition, state) -> {
            int removed = state.removeExpired(nowMs, expirationMs);
            if (removed > 0) {
                LOG.info("Expired {} producer ids on {}", removed, partition);
            }
        });
    }

    /** Writes a snapshot for every loaded partition whose state moved since its last snapshot. */
    public void snapshotAll() {
        states.forEach((partition, state) -> {
            long end = state.mapEndOffset();
            if (snapshotted.getOrDefault(partition, -1L) == end) {
                return;
            }
            PartitionLog log = logs.apply(partition);
            if (log == null) {
                states.remove(partition);
                snapshotted.remove(partition);
                return;
            }
            try {
                ProducerStateLoader.snapshot(log.dir(), state);
                snapshotted.put(partition, end);
            } catch (IOException | RuntimeException e) {
                LOG.warn(
                        "Could not snapshot producer state of {} (it will be rebuilt from the log): {}",
                        partition,
                        e.toString());
            }
        });
    }

    /** @return the loaded state of a partition, or null */
    public ProducerStateManager state(PartitionId partition) {
        return states.get(partition);
    }
}
