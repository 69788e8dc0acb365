package dev.tributary.log;

/**
 * When a log forces its data to disk, decided without I/O: after {@code flush.messages} records, when
 * {@code flush.ms} has passed with records waiting, and after a roll (the segments before the new active one are
 * forced, as Kafka does on roll). Kafka's defaults leave durability to replication and the page cache, so both
 * settings default to "never"; a single-node broker may want them.
 *
 * <p>Used under the log's lock.
 */
final class FlushSchedule {
    /** Returned by {@link #takeDue} when no flush is due. */
    static final long NOT_DUE = -1;

    private long unflushedMessages;
    private long lastFlushMs;
    private boolean rolledSinceFlush;

    FlushSchedule(long nowMs) {
        this.lastFlushMs = nowMs;
    }

    void appended(int records) {
        unflushedMessages += records;
    }

    void rolled() {
        rolledSinceFlush = true;
    }

    /** True when {@code flush.messages} records wait: the append that reached it flushes synchronously. */
    boolean messagesDue(long flushMessages) {
        return unflushedMessages >= flushMessages;
    }

    /**
     * The scheduler's decision: the offset everything below which is to be forced now, or {@link #NOT_DUE}. With
     * records waiting for {@code flushMs} that is the log end offset; else, after a roll, the active segment's base
     * offset. A flush that is taken resets the schedule: appends from now on count towards the next one.
     */
    long takeDue(long nowMs, long flushMs, long logEndOffset, long activeBaseOffset) {
        boolean due = unflushedMessages > 0 && nowMs - lastFlushMs >= flushMs;
        if (!due && !rolledSinceFlush) {
            return NOT_DUE;
        }
        if (due) {
            unflushedMessages = 0;
        }
        rolledSinceFlush = false;
        lastFlushMs = nowMs;
        return due ? logEndOffset : activeBaseOffset;
    }

    /** Everything up to the log end offset was forced (flush.messages, an explicit flush, close). */
    void flushedAll(long nowMs) {
        unflushedMessages = 0;
        rolledSinceFlush = false;
        lastFlushMs = nowMs;
    }
}
