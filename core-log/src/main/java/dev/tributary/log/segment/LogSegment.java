package dev.tributary.log.segment;

import dev.tributary.log.FileRegion;
import dev.tributary.log.LogConfig;
import dev.tributary.log.TimestampOffset;
import dev.tributary.log.index.CorruptIndexException;
import dev.tributary.log.index.OffsetIndex;
import dev.tributary.log.index.OffsetPosition;
import dev.tributary.log.index.TimeIndex;
import dev.tributary.log.internal.GrowableBuffer;
import dev.tributary.log.record.Record;
import dev.tributary.log.record.RecordBatch;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.Optional;

/**
 * One segment: the {@code <base>.log} of v2 batches with its {@code .index} and {@code .timeindex}.
 *
 * <p>Invariants: the log file holds whole batches with increasing offsets, all at or above the base offset and
 * within {@code Integer.MAX_VALUE} of it; {@link #size()} (volatile) counts only bytes of completely written
 * batches, so a reader that bounds itself by it never sees a partial write; every index entry points at a batch
 * below {@link #size()}.
 *
 * <p>Threads: mutations ({@link #append}, {@link #recover}, {@link #truncateTo}, roll/close) come from the
 * partition's single writer, under the log's lock. Reads ({@link #read}, {@link #translateOffset},
 * {@link #findOffsetByTimestamp}) may run concurrently from any thread and use positional I/O only.
 */
public final class LogSegment implements Closeable {
    private final long baseOffset;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final int indexIntervalBytes;
    private volatile Path logFile;

    private volatile int size;
    private volatile long nextOffset;
    private volatile long maxTimestampSoFar = TimestampOffset.NO_TIMESTAMP;
    private volatile long offsetOfMaxTimestampSoFar = -1;
    private int bytesSinceLastIndexEntry;
    private volatile boolean truncatedInPlace;
    /** When segment.ms starts counting: the clock at the first append, or the first batch's time on reload. */
    private long rollingBaseTimeMs = -1;

    private LogSegment(Path dir, long baseOffset, LogConfig config, boolean create) throws IOException {
        this.baseOffset = baseOffset;
        this.logFile = SegmentFiles.logFile(dir, baseOffset);
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.channel = create
                ? FileChannel.open(
                        logFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        OffsetIndex oi;
        TimeIndex ti;
        try {
            oi = new OffsetIndex(
                    SegmentFiles.offsetIndexFile(dir, baseOffset), baseOffset, config.segmentIndexBytes(), true);
            ti = new TimeIndex(
                    SegmentFiles.timeIndexFile(dir, baseOffset), baseOffset, config.segmentIndexBytes(), true);
        } catch (RuntimeException e) {
            channel.close();
            if (create) {
                // a segment that could not be created completely (a full disk) leaves no file behind, so the
                // next roll to the same base offset can create it again
                SegmentFiles.deleteSegmentFiles(dir, baseOffset);
            }
            throw e;
        }
        this.offsetIndex = oi;
        this.timeIndex = ti;
        this.size = (int) Math.min(Integer.MAX_VALUE, channel.size());
        this.nextOffset = baseOffset;
    }

    /** Creates the files of a new, empty segment (preallocated indexes). */
    public static LogSegment create(Path dir, long baseOffset, LogConfig config) {
        try {
            return new LogSegment(dir, baseOffset, config, true);
        } catch (IOException e) {
            throw new UncheckedIOException("creating segment " + baseOffset + " in " + dir, e);
        }
    }

    /**
     * Opens an existing segment. Indexes that are missing are created empty; callers then either
     * {@link #recover} (rebuilding everything from the log) or {@link #loadFromIndexes}.
     */
    public static LogSegment open(Path dir, long baseOffset, LogConfig config) {
        try {
            return new LogSegment(dir, baseOffset, config, false);
        } catch (IOException e) {
            throw new UncheckedIOException("opening segment " + baseOffset + " in " + dir, e);
        }
    }

    /**
     * Trusts the indexes after a sanity check: restores the largest timestamp from the last time index entry and
     * the next offset by scanning batch headers after the last offset index entry.
     *
     * @throws CorruptIndexException when an index breaks its invariants (the caller rebuilds with {@link #recover})
     */
    public void loadFromIndexes() {
        offsetIndex.sanityCheck(size);
        OffsetPosition last = offsetIndex.lastEntry();
        long next = baseOffset;
        int pos = last.position();
        if (offsetIndex.entries() > 0) {
            next = last.offset() + 1;
        }
        ByteBuffer header = ByteBuffer.allocate(FileBatches.SHALLOW_HEADER);
        int scanned = 0;
        try {
            while (pos < size) {
                header.clear();
                if (size - pos < RecordBatch.HEADER_SIZE) {
                    throw new CorruptIndexException("log ends inside a batch header", logFile.toString(), pos, size);
                }
                FileBatches.readFully(channel, header, pos);
                int batchSize = header.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
                if (batchSize < RecordBatch.HEADER_SIZE || batchSize > size - pos) {
                    throw new CorruptIndexException("index points into a batch", logFile.toString(), pos, batchSize);
                }
                next = header.getLong(RecordBatch.BASE_OFFSET_OFFSET)
                        + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET)
                        + 1;
                scanned += batchSize;
                pos += batchSize;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + logFile, e);
        }
        if (offsetIndex.entries() > 0 && next <= last.offset()) {
            throw new CorruptIndexException(
                    "offset index ahead of the log",
                    offsetIndex.file().toString(),
                    offsetIndex.entries() - 1,
                    last.offset());
        }
        timeIndex.sanityCheck(next - 1);
        this.nextOffset = next;
        this.bytesSinceLastIndexEntry = offsetIndex.entries() > 0 ? scanned : size;
        TimestampOffset lastTime = timeIndex.lastEntry();
        this.maxTimestampSoFar = lastTime.timestamp();
        this.offsetOfMaxTimestampSoFar = lastTime.timestamp() < 0 ? -1 : lastTime.offset();
        this.rollingBaseTimeMs = lastModifiedMs();
    }

    public long baseOffset() {
        return baseOffset;
    }

    public Path logFile() {
        return logFile;
    }

    public FileChannel channel() {
        return channel;
    }

    public OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    /** Bytes of whole batches. */
    public int size() {
        return size;
    }

    /** One past the last offset in this segment; the base offset when empty. */
    public long nextOffset() {
        return nextOffset;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public TimestampOffset maxTimestampSoFar() {
        long ts = maxTimestampSoFar;
        return ts < 0 ? TimestampOffset.UNKNOWN : new TimestampOffset(ts, offsetOfMaxTimestampSoFar);
    }

    /** Retention's age measure: the largest timestamp, or the file's mtime when no batch has one. */
    public long largestTimestamp() {
        long ts = maxTimestampSoFar;
        return ts >= 0 ? ts : lastModifiedMs();
    }

    private long lastModifiedMs() {
        try {
            return Files.getLastModifiedTime(logFile).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * True if this segment must roll before taking {@code bytes} more bytes in {@code batches} batches ending at
     * {@code lastOffset}: it would pass {@code segment.bytes}, it is older than {@code segment.ms}, an index could
     * not take one entry per batch, or the last offset would not fit in a 32-bit relative offset.
     */
    public boolean shouldRoll(LogConfig config, int bytes, int batches, long lastOffset, long nowMs) {
        if (size == 0) {
            return false;
        }
        return (long) size + bytes > config.segmentBytes()
                || (rollingBaseTimeMs >= 0 && nowMs - rollingBaseTimeMs > config.segmentMs())
                || offsetIndex.entries() + batches > offsetIndex.maxEntries()
                || timeIndex.entries() + batches > timeIndex.maxEntries() - 1
                || lastOffset - baseOffset > Integer.MAX_VALUE;
    }

    /**
     * Writes validated batches with assigned offsets (all of {@code batches}' remaining bytes) at the end of the
     * file, then indexes them. One positional write for the whole buffer; nothing is copied.
     *
     * <p>All or nothing: when the write fails (no space left, an I/O error), the file is cut back to where this
     * append started and index entries and timestamps are restored, so no torn batch stays behind and the next
     * append starts from the same state. Index blocks are reserved before the write (see
     * {@link dev.tributary.log.index.AbstractIndex#reserve}), so indexing after a successful write cannot fail.
     *
     * @param flyweight a reusable flyweight (avoids an allocation per batch)
     */
    public void append(ByteBuffer batches, RecordBatch flyweight, long nowMs) throws IOException {
        int start = batches.position();
        int end = batches.limit();
        int physical = size;
        // what a rollback restores: primitives on the stack, nothing allocated
        int offsetEntries = offsetIndex.entries();
        int timeEntries = timeIndex.entries();
        long maxTimestampBefore = maxTimestampSoFar;
        long offsetOfMaxTimestampBefore = offsetOfMaxTimestampSoFar;
        int bytesSinceEntryBefore = bytesSinceLastIndexEntry;
        long rollingBaseBefore = rollingBaseTimeMs;
        long next = nextOffset;
        try {
            // at most one entry per index.interval.bytes, plus one; the time index also keeps its final slot
            int maxNewEntries = (end - start) / Math.max(1, indexIntervalBytes) + 1;
            offsetIndex.reserve(maxNewEntries);
            timeIndex.reserve(maxNewEntries + 1);
            long writePos = physical;
            ByteBuffer src = batches.duplicate();
            while (src.hasRemaining()) {
                writePos += channel.write(src, writePos);
            }
            if (physical == 0) {
                rollingBaseTimeMs = nowMs;
            }
            for (int p = start; p < end; ) {
                RecordBatch b = flyweight.wrap(batches, p);
                int batchSize = b.sizeInBytes();
                long lastOffset = b.lastOffset();
                indexBatch(physical, batchSize, lastOffset, b.maxTimestamp());
                physical += batchSize;
                next = lastOffset + 1;
                p += batchSize;
            }
        } catch (IOException | RuntimeException e) {
            try {
                channel.truncate(size);
            } catch (IOException | RuntimeException suppressed) {
                // the bytes beyond size stay unpublished; the next append overwrites them, recovery cuts them
                e.addSuppressed(suppressed);
            }
            offsetIndex.truncateToEntries(offsetEntries);
            timeIndex.truncateToEntries(timeEntries);
            maxTimestampSoFar = maxTimestampBefore;
            offsetOfMaxTimestampSoFar = offsetOfMaxTimestampBefore;
            bytesSinceLastIndexEntry = bytesSinceEntryBefore;
            rollingBaseTimeMs = rollingBaseBefore;
            throw e;
        }
        nextOffset = next;
        size = physical; // publish: readers may now see these batches
    }

    private void indexBatch(int position, int batchSize, long lastOffset, long maxTimestamp) {
        if (maxTimestamp > maxTimestampSoFar) {
            offsetOfMaxTimestampSoFar = lastOffset;
            maxTimestampSoFar = maxTimestamp;
        }
        // A full index only happens when one append into a fresh segment carries more batches than the index
        // has slots (a tiny segment.index.bytes); the index then stays sparser, which lookups tolerate.
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull() && !timeIndex.isFull()) {
            offsetIndex.append(lastOffset, position);
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += batchSize;
    }

    /**
     * File position of the first batch whose last offset is at least {@code offset}, scanning batch headers
     * forward from the index entry below it; -1 if there is none below {@code maxPosition}.
     *
     * @param header scratch of at least {@link FileBatches#SHALLOW_HEADER} bytes
     * @return the position; the batch's size is left in {@code header}
     */
    public int translateOffset(long offset, int maxPosition, ByteBuffer header) throws IOException {
        int pos = offsetIndex.lookup(offset).position();
        while (pos < maxPosition) {
            header.clear().limit(FileBatches.SHALLOW_HEADER);
            FileBatches.readFully(channel, header, pos);
            long last = header.getLong(RecordBatch.BASE_OFFSET_OFFSET)
                    + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            if (last >= offset) {
                return pos;
            }
            pos += header.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
        }
        return -1;
    }

    /**
     * A region starting at the batch that contains {@code offset} (or the first batch after it), holding whole
     * batches up to {@code maxBytes} but at least one; null when no batch at or after {@code offset} exists.
     */
    public FileRegion read(long offset, int maxBytes) throws IOException {
        return read(offset, maxBytes, Long.MAX_VALUE);
    }

    /**
     * As {@link #read(long, int)}, but only batches whose base offset is below {@code maxOffset} (a consumer's
     * read up to the high watermark). The cut point is found like the start: an index lookup and a scan of batch
     * headers; a batch that {@code maxOffset} falls inside is whole and starts below it, so it is included.
     *
     * @return null when no batch at or after {@code offset} starts below {@code maxOffset} in this segment
     */
    public FileRegion read(long offset, int maxBytes, long maxOffset) throws IOException {
        int limit = size; // snapshot: bytes beyond are not yet complete
        ByteBuffer header = ByteBuffer.allocate(FileBatches.SHALLOW_HEADER);
        if (maxOffset < nextOffset) {
            limit = positionOfFirstBatchFrom(maxOffset, limit, header);
        }
        int start = translateOffset(offset, limit, header);
        if (start < 0) {
            return null;
        }
        long firstOffset = header.getLong(RecordBatch.BASE_OFFSET_OFFSET);
        int end = start + header.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
        int maxEnd = (int) Math.min(limit, (long) start + Math.max(0, maxBytes));
        if (end < maxEnd) {
            // Jump to the last indexed batch start that still fits: index positions are batch boundaries, and
            // every batch starting below the published size is complete. Saves a header read per batch.
            OffsetPosition boundary = offsetIndex.lookupByPosition(maxEnd);
            if (boundary != null && boundary.position() > end) {
                end = boundary.position();
            }
        }
        while (end < limit) {
            header.clear().limit(RecordBatch.LOG_OVERHEAD);
            FileBatches.readFully(channel, header, end);
            int next = header.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
            if ((long) end - start + next > maxBytes) {
                break;
            }
            end += next;
        }
        return new FileRegion(channel, start, end - start, firstOffset);
    }

    /**
     * File position of the first batch whose base offset is at or above {@code offset}, or {@code limit} when none
     * below {@code limit} is.
     */
    private int positionOfFirstBatchFrom(long offset, int limit, ByteBuffer header) throws IOException {
        int pos = translateOffset(offset, limit, header);
        if (pos < 0) {
            return limit;
        }
        if (header.getLong(RecordBatch.BASE_OFFSET_OFFSET) >= offset) {
            return pos;
        }
        return Math.min(limit, pos + header.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD);
    }

    /** Whole batches from {@code position}, loaded one at a time. */
    public Iterator<FileBatches.FileBatch> batchesFrom(int position) {
        return FileBatches.iterate(channel, logFile.toString(), position, size);
    }

    /**
     * The first record with timestamp at or after {@code timestamp} and offset at or after
     * {@code startingOffset}, found from the time index then a scan of the batches.
     */
    public Optional<TimestampOffset> findOffsetByTimestamp(long timestamp, long startingOffset) throws IOException {
        TimestampOffset entry = timeIndex.lookup(timestamp);
        int position =
                offsetIndex.lookup(Math.max(entry.offset(), startingOffset)).position();
        Iterator<FileBatches.FileBatch> it = batchesFrom(position);
        while (it.hasNext()) {
            RecordBatch batch = it.next().batch();
            if (batch.maxTimestamp() >= timestamp && batch.lastOffset() >= startingOffset) {
                for (Record r : batch) {
                    if (r.timestamp() >= timestamp && r.offset() >= startingOffset) {
                        return Optional.of(new TimestampOffset(r.timestamp(), r.offset()));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Re-validates every batch from the start of the file, rebuilding both indexes and the timestamps, and
     * truncates at the first byte that is not part of a valid batch (torn header, impossible length, wrong magic,
     * bad CRC, offsets going backwards or out of this segment's range).
     *
     * <p>The base offset field is not covered by the CRC, so a damaged one would pass the CRC check. Where offsets
     * are known to be contiguous ({@code contiguousOffsets}: logs that are never compacted), each batch must start
     * exactly one after the previous one, the first at the segment's base offset; a compacted log can only require
     * offsets to increase.
     *
     * @return number of bytes truncated
     */
    public long recover(GrowableBuffer scratch, boolean contiguousOffsets) throws IOException {
        offsetIndex.reset();
        timeIndex.reset();
        maxTimestampSoFar = TimestampOffset.NO_TIMESTAMP;
        offsetOfMaxTimestampSoFar = -1;
        bytesSinceLastIndexEntry = 0;
        long fileSize = channel.size();
        int valid = 0;
        long next = baseOffset;
        long firstBatchTime = -1;
        RecordBatch batch = new RecordBatch();
        while (fileSize - valid >= RecordBatch.HEADER_SIZE) {
            scratch.clear();
            ByteBuffer head = scratch.writableView(RecordBatch.HEADER_SIZE);
            FileBatches.readFully(channel, head, valid);
            if (!RecoveredHeader.plausible(head, fileSize - valid, next, contiguousOffsets, baseOffset)) {
                break;
            }
            int batchSize = head.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
            ByteBuffer whole = scratch.writableView(batchSize);
            FileBatches.readFully(channel, whole, valid);
            whole.flip();
            batch.wrap(whole, 0);
            if (batch.crc() != batch.computeCrc()) {
                break;
            }
            if (firstBatchTime < 0) {
                firstBatchTime = batch.maxTimestamp();
            }
            indexBatch(valid, batchSize, batch.lastOffset(), batch.maxTimestamp());
            valid += batchSize;
            next = batch.lastOffset() + 1;
        }
        long truncated = fileSize - valid;
        if (truncated > 0) {
            channel.truncate(valid);
        }
        size = valid;
        nextOffset = next;
        rollingBaseTimeMs = firstBatchTime >= 0 ? firstBatchTime : lastModifiedMs();
        return truncated;
    }

    /**
     * Removes every batch at or above the one holding {@code offset}: the log file is cut at that batch's start,
     * index entries pointing at or past it go, and the largest timestamp is recomputed from what stays. A batch
     * that {@code offset} falls inside goes whole, so {@link #nextOffset()} may end up below {@code offset}.
     *
     * <p>The new size is published before the file is cut, so readers that start afterwards stay below it. Not
     * atomic against a crash: the caller first moves the recovery point at or below {@code offset}, so a restart
     * re-validates this segment and rebuilds its indexes whatever step the crash interrupted.
     *
     * @return bytes removed
     */
    public int truncateTo(long offset) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(FileBatches.SHALLOW_HEADER);
        int pos = translateOffset(offset, size, header);
        if (pos < 0) {
            return 0;
        }
        int removed = size - pos;
        long newNext = pos == 0 ? baseOffset : lastOffsetBefore(pos, header) + 1;
        truncatedInPlace = true;
        size = pos;
        nextOffset = newNext;
        offsetIndex.truncateTo(newNext);
        timeIndex.truncateTo(newNext);
        channel.truncate(pos);
        int lastEntryPosition =
                offsetIndex.entries() > 0 ? offsetIndex.lastEntry().position() : 0;
        bytesSinceLastIndexEntry = offsetIndex.entries() > 0 ? pos - lastEntryPosition : pos;
        // the last time index entry is the largest timestamp up to some batch at or before the last offset index
        // entry; the batches after that entry may hold a larger one
        TimestampOffset max = timeIndex.lastEntry();
        long maxTs = max.timestamp();
        long maxTsOffset = maxTs < 0 ? -1 : max.offset();
        ByteBuffer withTimestamp =
                ByteBuffer.allocate(RecordBatch.MAX_TIMESTAMP_OFFSET + RecordBatch.MAX_TIMESTAMP_LENGTH);
        for (int p = lastEntryPosition; p < pos; ) {
            withTimestamp.clear();
            FileBatches.readFully(channel, withTimestamp, p);
            long batchMax = withTimestamp.getLong(RecordBatch.MAX_TIMESTAMP_OFFSET);
            if (batchMax > maxTs) {
                maxTs = batchMax;
                maxTsOffset = withTimestamp.getLong(RecordBatch.BASE_OFFSET_OFFSET)
                        + withTimestamp.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            }
            p += withTimestamp.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
        }
        maxTimestampSoFar = maxTs;
        offsetOfMaxTimestampSoFar = maxTsOffset;
        if (pos == 0) {
            rollingBaseTimeMs = -1; // segment.ms counts from the next append again
        }
        return removed;
    }

    /** The last offset of the batch that ends at {@code position} (found from the index, then batch headers). */
    private long lastOffsetBefore(int position, ByteBuffer header) throws IOException {
        OffsetPosition entry = offsetIndex.lookupByPosition(position - 1);
        int p = entry == null ? 0 : entry.position();
        long last = baseOffset - 1;
        while (p < position) {
            header.clear().limit(FileBatches.SHALLOW_HEADER);
            FileBatches.readFully(channel, header, p);
            last = header.getLong(RecordBatch.BASE_OFFSET_OFFSET) + header.getInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET);
            p += header.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
        }
        return last;
    }

    /**
     * True once {@link #truncateTo} removed bytes: a compaction pass that read the segment before may hold its old
     * content, so the log refuses to swap this segment out until it is reopened.
     */
    public boolean wasTruncatedInPlace() {
        return truncatedInPlace;
    }

    /** The segment becomes the active one again (the log was truncated into it): indexes back to full size. */
    public void onBecomeActive(LogConfig config) {
        offsetIndex.growTo(config.segmentIndexBytes());
        timeIndex.growTo(config.segmentIndexBytes());
    }

    /** Forces the log and both indexes to disk. */
    public void flush() throws IOException {
        channel.force(true);
        offsetIndex.flush();
        timeIndex.flush();
    }

    /**
     * The segment stops being the active one: record the largest timestamp in the time index (so it survives a
     * restart) and trim both indexes to their entries, as Kafka leaves them.
     */
    public void onBecomeInactive() {
        if (maxTimestampSoFar >= 0) {
            timeIndex.maybeAppend(maxTimestampSoFar, offsetOfMaxTimestampSoFar, true);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** Renames all three files with {@code .deleted} appended; open channels and mappings keep working. */
    public void renameToDeleted() throws IOException {
        Path target = logFile.resolveSibling(logFile.getFileName() + SegmentFiles.DELETED_SUFFIX);
        Files.move(logFile, target, StandardCopyOption.ATOMIC_MOVE);
        logFile = target;
        offsetIndex.renameTo(
                offsetIndex.file().resolveSibling(offsetIndex.file().getFileName() + SegmentFiles.DELETED_SUFFIX));
        timeIndex.renameTo(
                timeIndex.file().resolveSibling(timeIndex.file().getFileName() + SegmentFiles.DELETED_SUFFIX));
    }

    /** Closes and removes the files (whatever their current names). */
    public void deleteFiles() throws IOException {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing a file we are about to delete
        }
        Files.deleteIfExists(logFile);
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
    }

    @Override
    public void close() throws IOException {
        if (channel.isOpen()) {
            onBecomeInactive();
            channel.close();
        }
    }

    @Override
    public String toString() {
        return "LogSegment(" + logFile.getFileName() + ", size=" + size + ", nextOffset=" + nextOffset + ")";
    }
}
