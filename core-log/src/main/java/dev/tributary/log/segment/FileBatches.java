package dev.tributary.log.segment;

import dev.tributary.log.CorruptRecordException;
import dev.tributary.log.record.RecordBatch;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Positional reads of batches from a {@code .log} file channel: the batch header at a position, and an
 * iterator that loads whole batches one by one into heap buffers (for tools, recovery-free scans and the
 * producer-state/offsets loaders; the fetch path never copies batches, it uses {@link dev.tributary.log.FileRegion}).
 */
public final class FileBatches {
    /** Bytes of header needed to know a batch's size and last offset: up to lastOffsetDelta. */
    public static final int SHALLOW_HEADER =
            RecordBatch.LAST_OFFSET_DELTA_OFFSET + RecordBatch.LAST_OFFSET_DELTA_LENGTH;

    private FileBatches() {}

    public static void readFully(FileChannel ch, ByteBuffer dst, long position) throws IOException {
        long pos = position;
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) {
                throw new EOFException("end of file at " + pos);
            }
            pos += n;
        }
    }

    /** A batch of a file as a heap buffer plus where it was. */
    public record FileBatch(int position, RecordBatch batch) {}

    /**
     * Iterates the whole batches in [{@code from}, {@code end}); a declared size that runs past {@code end}
     * ends the iteration with a {@link CorruptRecordException} naming the file and position.
     */
    public static Iterator<FileBatch> iterate(FileChannel ch, String fileName, int from, int end) {
        return new Iterator<>() {
            int pos = from;

            @Override
            public boolean hasNext() {
                return pos < end;
            }

            @Override
            public FileBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                try {
                    if (end - pos < RecordBatch.LOG_OVERHEAD) {
                        throw new CorruptRecordException("truncated batch header", fileName, pos, end - pos);
                    }
                    ByteBuffer overhead = ByteBuffer.allocate(RecordBatch.LOG_OVERHEAD);
                    readFully(ch, overhead, pos);
                    int size = overhead.getInt(RecordBatch.LENGTH_OFFSET) + RecordBatch.LOG_OVERHEAD;
                    if (size < RecordBatch.HEADER_SIZE || size > end - pos) {
                        throw new CorruptRecordException(
                                "impossible batch length", fileName, pos, size - RecordBatch.LOG_OVERHEAD);
                    }
                    ByteBuffer buf = ByteBuffer.allocate(size);
                    readFully(ch, buf, pos);
                    buf.flip();
                    FileBatch b = new FileBatch(pos, new RecordBatch().wrap(buf, 0));
                    pos += size;
                    return b;
                } catch (IOException e) {
                    throw new UncheckedIOException("reading " + fileName + " at " + pos, e);
                }
            }
        };
    }
}
