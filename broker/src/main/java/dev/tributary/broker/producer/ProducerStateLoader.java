package dev.tributary.broker.producer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores a partition's producer state when the partition is opened, and saves it.
 *
 * <p>Restore: take the newest readable snapshot at or below the log end offset, then replay every batch
 * from the snapshot's offset to the log end. After a clean shutdown the snapshot is at the log end and
 * nothing is replayed; after {@code kill -9} the batches written since the last snapshot are replayed;
 * without any usable snapshot the whole log is replayed. Snapshots above the log end (the log was
 * truncated during recovery) describe batches that no longer exist and are deleted. A corrupt snapshot is
 * logged, deleted and skipped: the log is the source of truth, the snapshot only a shortcut. Temporary
 * files of interrupted snapshot writes are deleted first.
 */
public final class ProducerStateLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateLoader.class);

    /** Snapshots kept per partition; one older than the newest survives a crash during the next write. */
    static final int SNAPSHOTS_KEPT = 2;

    private ProducerStateLoader() {}

    /**
     * @param dir            partition directory
     * @param state          the state to fill
     * @param logStartOffset first offset still in the log
     * @param logEndOffset   offset the next append will get
     * @param batchesFrom    iterates the log's batches from a given offset
     * @return the offset replay started from
     */
    public static long load(
            Path dir,
            ProducerStateManager state,
            long logStartOffset,
            long logEndOffset,
            LongFunction<Iterator<LoggedBatch>> batchesFrom)
            throws IOException {
        return load(dir, state, logStartOffset, logStartOffset, logEndOffset, batchesFrom);
    }

    /**
     * As {@link #load(Path, ProducerStateManager, long, long, LongFunction)}, but without a usable snapshot
     * replays only from {@code replayFloor} (the broker passes the start of the second-to-last segment, as
     * Kafka does): a partition written for years without idempotent producers is not read end to end under
     * the append lock. Producers seen only before the floor are unknown afterwards, which the sequence
     * rules accept (they may start at any sequence).
     */
    public static long load(
            Path dir,
            ProducerStateManager state,
            long logStartOffset,
            long replayFloor,
            long logEndOffset,
            LongFunction<Iterator<LoggedBatch>> batchesFrom)
            throws IOException {
        state.clear();
        for (Path tmp : ProducerSnapshotFile.deleteTemporaryFiles(dir)) {
            LOG.info("Deleted {}, left by an interrupted producer snapshot write", tmp.getFileName());
        }
        long replayFrom = Math.max(logStartOffset, replayFloor);
        for (Path file : ProducerSnapshotFile.list(dir)) {
            long offset = ProducerSnapshotFile.offsetOf(file).getAsLong();
            if (offset > logEndOffset) {
                LOG.info("Deleting producer snapshot {} beyond log end offset {}", file, logEndOffset);
                Files.deleteIfExists(file);
                continue;
            }
            try {
                List<ProducerStateEntry> entries = ProducerSnapshotFile.read(file);
                state.restore(entries, offset);
                replayFrom = Math.max(offset, logStartOffset);
                break;
            } catch (CorruptProducerSnapshotException e) {
                LOG.warn("Ignoring and deleting producer snapshot: {}", e.getMessage());
                Files.deleteIfExists(file);
            }
        }
        if (replayFrom < logEndOffset) {
            Iterator<LoggedBatch> it = batchesFrom.apply(replayFrom);
            while (it.hasNext()) {
                LoggedBatch b = it.next();
                if (b.lastOffset() >= replayFrom) {
                    state.onAppend(b.batch(), b.firstOffset(), b.lastOffset());
                }
            }
        }
        state.mapEndOffset(logEndOffset);
        return replayFrom;
    }

    /**
     * Writes a snapshot at the state's current end offset unless one exists there, and deletes all but the
     * newest {@value #SNAPSHOTS_KEPT}.
     *
     * @return the snapshot file, new or existing
     */
    public static Path snapshot(Path dir, ProducerStateManager state) throws IOException {
        long offset;
        List<ProducerStateEntry> entries;
        synchronized (state) {
            offset = state.mapEndOffset();
            entries = state.entries();
        }
        Path file = dir.resolve(ProducerSnapshotFile.fileName(offset));
        if (!Files.exists(file)) {
            ProducerSnapshotFile.write(dir, offset, entries);
        }
        List<Path> all = ProducerSnapshotFile.list(dir);
        for (int i = SNAPSHOTS_KEPT; i < all.size(); i++) {
            Files.deleteIfExists(all.get(i));
        }
        return file;
    }
}
