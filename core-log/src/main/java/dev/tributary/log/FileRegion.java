package dev.tributary.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * A byte range of a segment file that holds whole record batches, handed to a socket with
 * {@link FileChannel#transferTo} (sendfile on Linux) so batch bytes never enter the Java heap.
 *
 * <p>The range was complete when {@link Log#read} returned it and later appends never change those bytes; only a
 * {@link Log#truncateTo} of a follower can cut them, and then {@link #transferTo} throws instead of waiting.
 * A segment deleted by retention is only renamed and removed after {@code file.delete.delay.ms}, so a transfer
 * that started keeps reading from the still-open channel.
 *
 * @param channel     the segment's file channel (shared: use positional calls only)
 * @param position    file position of the first batch
 * @param length      number of bytes (0 at the log end offset)
 * @param firstOffset the base offset of the first batch in the region (-1 when empty)
 */
public record FileRegion(FileChannel channel, long position, int length, long firstOffset) {

    public static FileRegion empty() {
        return new FileRegion(null, 0, 0, -1);
    }

    public boolean isEmpty() {
        return length == 0;
    }

    /**
     * Transfers up to {@code count} bytes starting {@code from} bytes into this region.
     *
     * @return bytes transferred, which may be fewer than asked when the target is non-blocking and full
     */
    public long transferTo(WritableByteChannel target, long from, long count) throws IOException {
        if (from < 0 || from > length) {
            throw new IllegalArgumentException("from " + from + " outside region of " + length + " bytes");
        }
        long n = Math.min(count, length - from);
        if (n == 0) {
            return 0;
        }
        long sent = channel.transferTo(position + from, n, target);
        if (sent == 0 && channel.size() < position + length) {
            // a follower truncated the segment under this region: no byte will ever come (and transferFully
            // would spin)
            throw new IOException("segment truncated under a read: region ends at " + (position + length)
                    + ", file has " + channel.size() + " bytes");
        }
        return sent;
    }

    /** Transfers the whole region, looping until done (for blocking targets and tests). */
    public long transferFully(WritableByteChannel target) throws IOException {
        long done = 0;
        while (done < length) {
            long n = transferTo(target, done, length - done);
            if (n <= 0) {
                // a blocking target that accepts nothing would spin; non-blocking callers use transferTo
                Thread.onSpinWait();
            }
            done += n;
        }
        return done;
    }
}
