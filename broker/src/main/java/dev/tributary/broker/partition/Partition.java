package dev.tributary.broker.partition;

import dev.tributary.broker.append.AppendDecision;
import dev.tributary.broker.append.AppendResult;
import dev.tributary.broker.append.ProduceValidator;
import dev.tributary.log.FileRegion;
import dev.tributary.log.Log;
import dev.tributary.log.LogAppendInfo;
import dev.tributary.log.LogConfig;
import dev.tributary.log.TimestampOffset;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One hosted partition: core-log's {@link Log} plus the append lock that makes it single-writer
 * (core-log allows one writer thread at a time; produce requests arrive on any handler thread) and
 * the hook that wakes parked fetches. Reads take no lock.
 */
public final class Partition {
    private final PartitionId id;
    private final Log log;
    private final AppendListener listener;
    private final Object appendLock = new Object();

    Partition(PartitionId id, Log log, AppendListener listener) {
        this.id = id;
        this.log = log;
        this.listener = listener;
    }

    public PartitionId id() {
        return id;
    }

    /** The underlying log, for code that reads batches directly (offsets loader, producer-state rebuild). */
    public Log log() {
        return log;
    }

    /**
     * Validates and writes one partition's batches as the producer sent them. Offsets are assigned
     * in place; compressed batches are stored as sent.
     *
     * @throws RuntimeException core-log's CorruptRecordException / RecordTooLargeException /
     *     InvalidRecordException, or the validator's rejection; nothing is written then
     */
    public AppendResult append(ByteBuffer batches, ProduceValidator validator) {
        AppendResult result;
        int bytes;
        synchronized (appendLock) {
            AppendDecision decision = validator.beforeAppend(id, batches.asReadOnlyBuffer(), log.logEndOffset());
            if (decision.isDuplicate()) {
                return decision.duplicateOf();
            }
            ByteBuffer view = batches.duplicate();
            LogAppendInfo info = log.append(batches);
            result = new AppendResult(
                    info.firstOffset(), info.lastOffset(), info.logAppendTime(), info.logStartOffset());
            bytes = info.sizeInBytes();
            validator.afterAppend(id, view.asReadOnlyBuffer(), result);
        }
        listener.onAppend(id, bytes);
        return result;
    }

    /** Appends under the lock without a validator, for the broker's own internal writes. */
    public AppendResult append(ByteBuffer batches) {
        return append(batches, ProduceValidator.NO_OP);
    }

    /** A zero-copy region starting at the batch holding {@code offset}; at least one batch if any. */
    public FileRegion read(long offset, int maxBytes) {
        return log.read(offset, maxBytes);
    }

    public long logStartOffset() {
        return log.logStartOffset();
    }

    public long logEndOffset() {
        return log.logEndOffset();
    }

    /** Single node, acks=all is acks=1: everything written is committed. */
    public long highWatermark() {
        return log.logEndOffset();
    }

    public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
        return log.offsetForTimestamp(timestamp);
    }

    public TimestampOffset maxTimestamp() {
        return log.maxTimestamp();
    }

    /** Advances the log start offset; {@code -1} means the high watermark. Returns the new start. */
    public long deleteRecordsBefore(long offset) {
        synchronized (appendLock) {
            long target = offset < 0 ? log.logEndOffset() : offset;
            log.deleteRecordsBefore(target);
            return log.logStartOffset();
        }
    }

    void updateConfig(LogConfig config) {
        synchronized (appendLock) {
            log.updateConfig(config);
        }
    }

    /** Retention and delayed deletion; under the lock because it may remove segments. */
    void enforceRetention() {
        synchronized (appendLock) {
            log.retention();
        }
    }

    /** Not under the append lock: core-log forces the files outside its own lock, so appends go on meanwhile. */
    void flushIfDue() {
        log.flushIfDue();
    }
}
