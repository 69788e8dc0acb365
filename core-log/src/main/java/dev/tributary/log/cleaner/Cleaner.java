package dev.tributary.log.cleaner;

import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.FileBatches;
import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cleaning algorithm for one log, one run:
 * <ol>
 *   <li>Build the {@link OffsetMap} over the dirty section [firstDirty, firstUncleanable): key digest to the latest
 *       offset. When the map fills up, the run stops at the batch that did not fit: that offset becomes the cleaning
 *       point and the rest stays dirty for the next run.</li>
 *   <li>Find each producer's last batch in the whole log (batch headers only), so idempotence state survives.</li>
 *   <li>Recopy every inactive segment below the cleaning point, from the log start (the clean section too: a key
 *       updated in the dirty section makes its old clean copy obsolete), group by group ({@link SegmentGroups}),
 *       each group through {@link BatchCleaner} into one {@code .cleaned} segment, swapped in by
 *       {@link SegmentSwap}. The active segment is never touched.</li>
 * </ol>
 * Records at or above the cleaning point are never removed: batches there are copied unchanged.
 *
 * <p>Not thread-safe: one instance per cleaner thread (it owns the off-heap map and the I/O buffers).
 */
public final class Cleaner {
    private final int mapMemoryBytes;
    private final double loadFactor;
    /** Allocated at the first run: a broker whose compacted logs never need cleaning never pays the memory. */
    private OffsetMap map;

    private final int ioBufferSize;
    private final Throttler throttler;
    private final Clock clock;
    private final BatchReader reader;
    private final BatchCleaner batchCleaner = new BatchCleaner();
    private volatile SegmentSwap.FaultInjector faults = SegmentSwap.FaultInjector.NONE;
    private volatile boolean cancelled;

    /** Thrown out of a run stopped by {@link #cancel()}; the log is left as it was or with whole groups swapped. */
    public static final class CancelledException extends RuntimeException {
        CancelledException(String log) {
            super(log + ": cleaning cancelled by shutdown", null, false, false);
        }
    }

    public Cleaner(int mapMemoryBytes, double loadFactor, int ioBufferSize, Throttler throttler, Clock clock) {
        this.mapMemoryBytes = mapMemoryBytes;
        this.loadFactor = loadFactor;
        this.ioBufferSize = ioBufferSize;
        this.throttler = throttler;
        this.clock = clock;
        this.reader = new BatchReader(ioBufferSize);
    }

    /** For tests: a hook called after each step of the swap protocol. */
    public void faultInjector(SegmentSwap.FaultInjector injector) {
        this.faults = injector;
    }

    /**
     * Stops the current and every later run at the next batch: a broker shutdown must not wait for a cleaning of
     * minutes. Interrupting the thread instead would close the log's file channels under it.
     */
    public void cancel() {
        cancelled = true;
    }

    private void checkCancelled(Log log) {
        if (cancelled) {
            throw new CancelledException(log.name());
        }
    }

    /**
     * Cleans {@code log} over {@code range}. Exceptions (I/O, corruption, the log closing underneath) leave the log
     * as it was or with some groups already swapped, both valid; the caller does not advance the checkpoint.
     */
    public CleanerStats clean(Log log, DirtyRange range) throws IOException, InterruptedException {
        long startNanos = System.nanoTime();
        long throttledBefore = throttler.throttledNanos();
        long cpuBefore = cpuNanos();
        long now = clock.millis();
        LogConfig config = log.config();
        List<LogSegment> segments = log.segments();
        LogSegment active = segments.get(segments.size() - 1);
        long readBefore = reader.bytesRead();

        if (map == null) {
            map = new OffsetMap(mapMemoryBytes, loadFactor);
        } else {
            map.clear();
        }
        long endOffset = buildOffsetMap(log, segments, range.firstDirtyOffset(), range.firstUncleanableOffset());
        long mapBytes = reader.bytesRead() - readBefore;
        Map<Long, Long> producerLast = lastBatchOfEachProducer(segments);

        List<LogSegment> toClean = new ArrayList<>();
        List<SegmentGroups.Segment> summaries = new ArrayList<>();
        for (LogSegment s : segments) {
            if (s == active || s.baseOffset() >= endOffset) {
                break;
            }
            toClean.add(s);
            summaries.add(new SegmentGroups.Segment(
                    s.baseOffset(),
                    s.nextOffset(),
                    s.size(),
                    s.offsetIndex().sizeInBytes(),
                    s.timeIndex().sizeInBytes()));
        }
        List<List<Integer>> groups = SegmentGroups.group(summaries, config.segmentBytes(), config.segmentIndexBytes());

        long written = 0;
        long recordsRead = 0;
        long recordsRemoved = 0;
        long tombstonesRemoved = 0;
        long keylessRemoved = 0;
        long batchesRemoved = 0;
        int segmentsAfter = 0;
        boolean aborted = false;
        for (List<Integer> groupIdx : groups) {
            List<LogSegment> group = new ArrayList<>(groupIdx.size());
            for (int i : groupIdx) {
                group.add(toClean.get(i));
            }
            long base = group.get(0).baseOffset();
            CleanedSegmentWriter writer = new CleanedSegmentWriter(log.dir(), base, config, ioBufferSize);
            try {
                for (int gi = 0; gi < group.size(); gi++) {
                    LogSegment seg = group.get(gi);
                    boolean lastSegment = gi == group.size() - 1;
                    reader.reset(seg.channel(), seg.logFile().toString(), 0, seg.size());
                    long readMark = reader.bytesRead();
                    long writeMark = writer.size();
                    RecordBatch b;
                    while ((b = reader.next()) != null) {
                        boolean keep = lastSegment && reader.atEnd();
                        if (b.producerId() >= 0) {
                            Long last = producerLast.get(b.producerId());
                            keep |= last != null && last == b.lastOffset();
                        }
                        BatchCleaner.Outcome outcome;
                        if (b.isControlBatch() || b.baseOffset() >= endOffset) {
                            outcome =
                                    batchCleaner.clean(b, map, now, config.deleteRetentionMs(), true, log.name(), true);
                        } else {
                            outcome = batchCleaner.clean(
                                    b, map, now, config.deleteRetentionMs(), keep, log.name(), false);
                        }
                        recordsRead += batchCleaner.recordsRead;
                        recordsRemoved += batchCleaner.recordsRead - batchCleaner.recordsRetained;
                        tombstonesRemoved += batchCleaner.tombstonesRemoved;
                        keylessRemoved += batchCleaner.keylessRemoved;
                        if (outcome == BatchCleaner.Outcome.DROPPED) {
                            batchesRemoved++;
                        } else {
                            writer.append(batchCleaner.output(), b.lastOffset(), batchCleaner.outputMaxTimestamp());
                        }
                        checkCancelled(log);
                        long r = reader.bytesRead();
                        long w = writer.size();
                        throttler.maybeThrottle(r - readMark + w - writeMark);
                        readMark = r;
                        writeMark = w;
                    }
                }
                writer.finish();
                written += writer.size();
                faults.after(SegmentSwap.Step.CLEANED_WRITTEN);
                SegmentSwap.FaultInjector f = faults;
                boolean swapped =
                        log.replaceSegments(group, old -> SegmentSwap.swapIn(log.dir(), base, old, config, f));
                if (!swapped) {
                    writer.abort();
                    aborted = true;
                    break;
                }
                segmentsAfter++;
            } finally {
                writer.close();
            }
        }
        long duration = System.nanoTime() - startNanos;
        return new CleanerStats(
                log.name(),
                range.firstDirtyOffset(),
                aborted ? range.firstDirtyOffset() : endOffset,
                reader.bytesRead() - readBefore,
                mapBytes,
                written,
                recordsRead,
                recordsRemoved,
                tombstonesRemoved,
                keylessRemoved,
                batchesRemoved,
                map.size(),
                toClean.size(),
                segmentsAfter,
                duration,
                throttler.throttledNanos() - throttledBefore,
                cpuBefore < 0 ? -1 : cpuNanos() - cpuBefore,
                aborted);
    }

    private static long cpuNanos() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
    }

    /** Fills the map from the dirty section; returns the cleaning point (exclusive end of what the map covers). */
    private long buildOffsetMap(Log log, List<LogSegment> segments, long firstDirty, long firstUncleanable)
            throws IOException, InterruptedException {
        ByteBuffer header = ByteBuffer.allocate(FileBatches.SHALLOW_HEADER);
        for (int i = 0; i < segments.size() - 1; i++) {
            LogSegment seg = segments.get(i);
            if (segments.get(i + 1).baseOffset() <= firstDirty) {
                continue;
            }
            if (seg.baseOffset() >= firstUncleanable) {
                break;
            }
            int from = seg.baseOffset() >= firstDirty ? 0 : seg.translateOffset(firstDirty, seg.size(), header);
            if (from < 0) {
                continue;
            }
            reader.reset(seg.channel(), seg.logFile().toString(), from, seg.size());
            long mark = reader.bytesRead();
            RecordBatch b;
            while ((b = reader.next()) != null) {
                if (b.baseOffset() >= firstUncleanable) {
                    return firstUncleanable;
                }
                if (b.lastOffset() < firstDirty || b.isControlBatch()) {
                    continue;
                }
                if (map.size() + b.recordCount() > map.maxEntries()) {
                    if (b.baseOffset() <= firstDirty) {
                        throw new IllegalStateException(log.name() + ": log.cleaner.dedupe.buffer.size holds "
                                + map.maxEntries() + " keys, too few for the batch at offset " + b.baseOffset()
                                + " with " + b.recordCount() + " records");
                    }
                    return b.baseOffset();
                }
                checkCancelled(log);
                batchCleaner.addToMap(b, map, log.name());
                long r = reader.bytesRead();
                throttler.maybeThrottle(r - mark);
                mark = r;
            }
        }
        return firstUncleanable;
    }

    /** Last offset of the last batch of every producer id in the log (headers only). */
    private static Map<Long, Long> lastBatchOfEachProducer(List<LogSegment> segments) throws IOException {
        Map<Long, Long> last = new HashMap<>();
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        for (LogSegment seg : segments) {
            int size = seg.size();
            int pos = 0;
            while (size - pos >= RecordBatch.HEADER_SIZE) {
                header.clear();
                FileBatches.readFully(seg.channel(), header, pos);
                long pid = header.getLong(RecordBatch.PRODUCER_ID_OFFSET);
                if (pid >= 0) {
                    last.put(
                            pid,
                            header.getLong(RecordBatch.BASE_OFFSET_OFFSET)
                                    + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET));
                }
                pos += header.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
            }
        }
        return last;
    }
}
