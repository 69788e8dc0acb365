package dev.tributary.log.cleaner;

import dev.tributary.log.LogConfig;
import dev.tributary.log.index.OffsetIndex;
import dev.tributary.log.index.TimeIndex;
import dev.tributary.log.segment.SegmentFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one cleaned segment as {@code <base>.log.cleaned}, {@code <base>.index.cleaned} and
 * {@code <base>.timeindex.cleaned}: the first step of the swap protocol ({@link SegmentSwap}). Batches are
 * buffered and written in chunks; index entries follow the same rule as a live segment (one per
 * {@code index.interval.bytes}), so the swapped-in segment is indistinguishable from one the log wrote itself.
 *
 * <p>Nothing reads {@code .cleaned} files: a crash before {@link SegmentSwap} renames them leaves the log as it was,
 * and the next open deletes them.
 */
final class CleanedSegmentWriter implements AutoCloseable {
    private final Path dir;
    private final long baseOffset;
    private final int indexIntervalBytes;
    private final Path logFile;
    private final FileChannel channel;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final ByteBuffer buffer;
    private long written;
    private int bytesSinceIndexEntry;
    private long maxTimestamp = -1;
    private long offsetOfMaxTimestamp = -1;
    private boolean finished;

    CleanedSegmentWriter(Path dir, long baseOffset, LogConfig config, int bufferSize) throws IOException {
        this.dir = dir;
        this.baseOffset = baseOffset;
        this.indexIntervalBytes = config.indexIntervalBytes();
        this.logFile = cleaned(SegmentFiles.logFile(dir, baseOffset));
        deleteFiles(); // left over from an aborted run in this process
        this.channel = FileChannel.open(logFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.offsetIndex = new OffsetIndex(
                cleaned(SegmentFiles.offsetIndexFile(dir, baseOffset)), baseOffset, config.segmentIndexBytes(), true);
        this.timeIndex = new TimeIndex(
                cleaned(SegmentFiles.timeIndexFile(dir, baseOffset)), baseOffset, config.segmentIndexBytes(), true);
        this.buffer = ByteBuffer.allocate(bufferSize);
    }

    static Path cleaned(Path file) {
        return file.resolveSibling(file.getFileName() + SegmentFiles.CLEANED_SUFFIX);
    }

    long baseOffset() {
        return baseOffset;
    }

    /** Bytes of batches appended so far. */
    long size() {
        return written + buffer.position();
    }

    /** Appends one whole batch (the remaining bytes of {@code batch}). */
    void append(ByteBuffer batch, long lastOffset, long batchMaxTimestamp) throws IOException {
        int size = batch.remaining();
        long position = size();
        if (position + size > Integer.MAX_VALUE) {
            throw new IllegalStateException("cleaned segment " + logFile + " would exceed 2 GiB");
        }
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            offsetOfMaxTimestamp = lastOffset;
        }
        // the same rule as LogSegment: an entry for the batch that follows index.interval.bytes of batches.
        // A full index only makes lookups scan further, so entries stop rather than fail.
        if (bytesSinceIndexEntry > indexIntervalBytes && !offsetIndex.isFull() && !timeIndex.isFull()) {
            offsetIndex.append(lastOffset, (int) position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, false);
            bytesSinceIndexEntry = 0;
        }
        bytesSinceIndexEntry += size;
        if (buffer.remaining() < size) {
            drain();
        }
        if (size > buffer.capacity()) {
            writeFully(batch.duplicate());
        } else {
            buffer.put(batch.duplicate());
        }
    }

    private void drain() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            written += channel.write(b, written);
        }
    }

    /** Writes what is buffered, records the final time index entry, trims the indexes and forces all three files. */
    void finish() throws IOException {
        drain();
        timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, true);
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
        offsetIndex.flush();
        timeIndex.flush();
        channel.force(true);
        channel.close();
        finished = true;
    }

    /** Closes and deletes the {@code .cleaned} files (an aborted run). */
    void abort() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
            deleteFiles();
        } catch (IOException ignored) {
            // the next open of the log deletes .cleaned files anyway
        }
    }

    private void deleteFiles() throws IOException {
        Files.deleteIfExists(cleaned(SegmentFiles.logFile(dir, baseOffset)));
        Files.deleteIfExists(cleaned(SegmentFiles.offsetIndexFile(dir, baseOffset)));
        Files.deleteIfExists(cleaned(SegmentFiles.timeIndexFile(dir, baseOffset)));
    }

    @Override
    public void close() {
        if (!finished) {
            abort();
        }
    }
}
