package dev.tributary.log;

import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Segments that have left a log (retention, or replaced by a compaction) and wait for their files to be removed.
 *
 * <p>Removal waits {@code file.delete.delay.ms} (one minute by default, as in Kafka) because a fetch may have taken
 * a {@link FileRegion} of the segment just before it left, and is still sending it with sendfile; the open channel
 * keeps the bytes readable until then, under the {@code .deleted} name retention gives the files. A restart
 * removes {@code .deleted} files left behind ({@link LogLoader}).
 *
 * <p>Used under the log's lock.
 */
final class SegmentDeletion {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeletion.class);

    private record Pending(LogSegment segment, long deleteAtMs) {}

    private final String name;
    private final List<Pending> pending = new ArrayList<>();

    /** @param name {@code topic-partition}, for the log messages */
    SegmentDeletion(String name) {
        this.name = name;
    }

    /**
     * Takes the {@code count} oldest segments out of {@code segments}, renames their files {@code .deleted} and
     * schedules their removal at {@code deleteAtMs}.
     *
     * @throws LogStorageException when a rename fails; the segments handled before stay retired
     */
    void retireOldest(LogSegments segments, int count, long deleteAtMs) {
        for (int i = 0; i < count; i++) {
            LogSegment s = segments.first();
            segments.remove(s);
            pending.add(new Pending(s, deleteAtMs));
            try {
                s.renameToDeleted();
            } catch (IOException e) {
                throw new LogStorageException(name, "retention", s.baseOffset(), s.logFile(), e);
            } catch (UncheckedIOException e) {
                throw new LogStorageException(name, "retention", s.baseOffset(), s.logFile(), e);
            }
        }
    }

    /**
     * Renames the files of {@code segment} {@code .deleted} and schedules their removal at {@code deleteAtMs}; the
     * caller takes it out of the log (truncation). A restart before the removal finds only {@code .deleted} files.
     *
     * @throws LogStorageException when the rename fails; nothing is scheduled then
     */
    void retire(LogSegment segment, long deleteAtMs, String operation) {
        rename(segment, operation);
        pending.add(new Pending(segment, deleteAtMs));
    }

    /** Renames the files of {@code segment} {@code .deleted}; the caller schedules it with {@link #scheduleAll}. */
    void rename(LogSegment segment, String operation) {
        try {
            segment.renameToDeleted();
        } catch (IOException e) {
            throw new LogStorageException(name, operation, segment.baseOffset(), segment.logFile(), e);
        } catch (UncheckedIOException e) {
            throw new LogStorageException(name, operation, segment.baseOffset(), segment.logFile(), e);
        }
    }

    /** Schedules the removal of segments already out of the log (a compaction replaced them), files unrenamed. */
    void scheduleAll(List<LogSegment> removed, long deleteAtMs) {
        for (LogSegment s : removed) {
            pending.add(new Pending(s, deleteAtMs));
        }
    }

    /**
     * Removes the files whose time has come.
     *
     * @return number of segments whose files were removed; a failed removal is logged and retried next time
     */
    int removeDue(long nowMs) {
        int removed = 0;
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.deleteAtMs() <= nowMs) {
                try {
                    p.segment().deleteFiles();
                } catch (IOException e) {
                    LOG.warn("{}: could not remove {}: {}", name, p.segment().logFile(), e.toString());
                    continue;
                }
                it.remove();
                removed++;
            }
        }
        return removed;
    }

    /** Removes every waiting file now, logging failures (closing the log: no fetch can use them any more). */
    void removeAllQuietly() {
        removeDue(Long.MAX_VALUE);
        pending.clear();
    }

    /** Removes every waiting file now (deleting the log), failing on the first error. */
    void removeAll() throws IOException {
        for (Pending p : pending) {
            p.segment().deleteFiles();
        }
        pending.clear();
    }

    int waiting() {
        return pending.size();
    }
}
