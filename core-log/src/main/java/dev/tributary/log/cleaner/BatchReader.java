package dev.tributary.log.cleaner;

import dev.tributary.log.CorruptRecordException;
import dev.tributary.log.record.RecordBatch;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a segment's batches in large chunks (one positional read per {@code log.cleaner.io.buffer.size}, not one
 * per batch) and hands out a reused flyweight over each batch in the chunk. The chunk grows to fit a batch larger
 * than itself. Every batch is CRC-checked: the cleaner must never copy damaged bytes into a new segment.
 *
 * <p>Not thread-safe; one per cleaner thread, reused across segments.
 */
final class BatchReader {
    private ByteBuffer chunk;
    private final RecordBatch flyweight = new RecordBatch();
    private FileChannel channel;
    private String file;
    private long chunkFilePosition;
    private int filePosition;
    private int end;
    private long bytesRead;

    BatchReader(int chunkSize) {
        this.chunk = ByteBuffer.allocate(chunkSize);
    }

    /** Starts reading {@code file} over [from, end). */
    BatchReader reset(FileChannel channel, String file, int from, int end) {
        this.channel = channel;
        this.file = file;
        this.filePosition = from;
        this.end = end;
        this.chunk.clear().limit(0);
        this.chunkFilePosition = from;
        return this;
    }

    /** File position of the batch last returned by {@link #next()}. */
    int position() {
        return lastPosition;
    }

    private int lastPosition;

    /** True when the batch last returned ends at the end of the range. */
    boolean atEnd() {
        return filePosition >= end;
    }

    /** Bytes read from files since creation. */
    long bytesRead() {
        return bytesRead;
    }

    /**
     * The next batch as a flyweight valid until the next call, or null at the end.
     *
     * @throws CorruptRecordException for a torn header, an impossible length, a wrong magic or a bad CRC, naming the
     *                                file and position
     */
    RecordBatch next() throws IOException {
        if (filePosition >= end) {
            return null;
        }
        int inChunk = (int) (filePosition - chunkFilePosition);
        if (chunk.limit() - inChunk < RecordBatch.LOG_OVERHEAD) {
            fill(RecordBatch.LOG_OVERHEAD);
            inChunk = 0;
        }
        int size = chunk.getInt(inChunk + RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
        if (size < RecordBatch.HEADER_SIZE || size > end - filePosition) {
            throw new CorruptRecordException("impossible batch length", file, filePosition, size);
        }
        if (chunk.limit() - inChunk < size) {
            fill(size);
            inChunk = 0;
        }
        RecordBatch b = flyweight.wrap(chunk, inChunk);
        if (b.magic() != RecordBatch.MAGIC) {
            throw new CorruptRecordException("unsupported magic byte", file, filePosition, b.magic());
        }
        long stored = b.crc();
        if (stored != b.computeCrc()) {
            throw new CorruptRecordException("CRC32C mismatch", file, filePosition, stored);
        }
        lastPosition = filePosition;
        filePosition += size;
        return b;
    }

    /** Refills the chunk from {@link #filePosition} with at least {@code need} bytes. */
    private void fill(int need) throws IOException {
        if (chunk.capacity() < need) {
            chunk = ByteBuffer.allocate(Math.max(need, chunk.capacity() * 2));
        }
        chunk.clear();
        int want = (int) Math.min(chunk.capacity(), (long) end - filePosition);
        chunk.limit(want);
        long pos = filePosition;
        while (chunk.hasRemaining()) {
            int n = channel.read(chunk, pos);
            if (n < 0) {
                throw new EOFException(file + ": end of file at " + pos + " before " + end);
            }
            pos += n;
        }
        bytesRead += want;
        chunk.flip();
        chunkFilePosition = filePosition;
        if (chunk.limit() < need) {
            throw new CorruptRecordException("batch runs past the end of the segment", file, filePosition, need);
        }
    }
}
