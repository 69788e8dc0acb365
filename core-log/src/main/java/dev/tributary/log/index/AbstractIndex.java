package dev.tributary.log.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Shared machinery of the sparse, memory-mapped, fixed-entry-size index files ({@code .index},
 * {@code .timeindex}): preallocation, reservation of blocks,
 * trimming, binary search and truncation.
 *
 * <p>A writable index is preallocated to {@code segment.index.bytes} (rounded down to whole entries) and mapped
 * once, so appends are memory stores; {@link #trimToValidSize()} cuts the file back to its entries when the
 * segment rolls or closes, which is the form Kafka leaves on disk. On open, the number of entries is the file
 * length divided by the entry size, so a preallocated file left by a crash reads as zero-padded garbage; the
 * log's sanity check catches that and rebuilds it.
 *
 * <p>Threads: one writer (the log's append thread) and any number of readers. Entries are written before
 * {@link #entries} (volatile) is incremented, and readers only read absolute positions below it.
 */
public abstract class AbstractIndex implements Closeable {
    /**
     * Searches start in the last 8 KiB (1024 offset entries or 682 time entries): appends and consumer fetches
     * touch the tail, so those pages are hot in the page cache while a full-index binary search would fault in
     * cold pages of a 10 MiB file on every lookup. Kafka does the same for the same reason.
     */
    static final int WARM_BYTES = 8192;
    /** {@link #reserve} allocates blocks in steps of 64 KiB: one small write per 8192 offset entries. */
    private static final int RESERVE_STEP = 64 * 1024;

    protected final long baseOffset;
    private final int entrySize;
    private final boolean writable;
    private volatile Path file;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private volatile int maxEntries;
    /** Bytes from the start known to have file system blocks behind them (see {@link #reserve}); writer only. */
    private int allocatedBytes;

    protected AbstractIndex(Path file, long baseOffset, int maxIndexSize, boolean writable, int entrySize) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.writable = writable;
        try (FileChannel ch = writable
                ? FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ)) {
            long length = ch.size();
            int existing = (int) (length / entrySize);
            long mapSize;
            if (writable) {
                mapSize = Math.max(roundDown(maxIndexSize), (long) existing * entrySize);
                if (ch.size() < mapSize) {
                    // grow by writing the last byte: the file stays sparse until entries land
                    ch.write(java.nio.ByteBuffer.wrap(new byte[1]), mapSize - 1);
                } else if (ch.size() > mapSize) {
                    ch.truncate(mapSize);
                }
            } else {
                mapSize = (long) existing * entrySize;
            }
            this.mmap = ch.map(writable ? FileChannel.MapMode.READ_WRITE : FileChannel.MapMode.READ_ONLY, 0, mapSize);
            this.entries = existing;
            this.maxEntries = (int) (mapSize / entrySize);
            this.allocatedBytes = existing * entrySize;
        } catch (IOException e) {
            throw new UncheckedIOException("opening index " + file, e);
        }
    }

    private int roundDown(int size) {
        return size / entrySize * entrySize;
    }

    public Path file() {
        return file;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public int entries() {
        return entries;
    }

    public int maxEntries() {
        return maxEntries;
    }

    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** Bytes of entries. */
    public int sizeInBytes() {
        return entries * entrySize;
    }

    protected MappedByteBuffer mmap() {
        return mmap;
    }

    /** Makes one more entry visible to readers (after the caller wrote it at {@code entries * entrySize}). */
    protected void publishEntry() {
        entries = entries + 1;
    }

    protected int relativeOffset(long offset) {
        long rel = offset - baseOffset;
        if (rel < 0 || rel > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "offset " + offset + " not representable relative to base " + baseOffset + " in " + file);
        }
        return (int) rel;
    }

    /** The key an entry is ordered by (offset or timestamp). */
    protected abstract long keyAt(MappedByteBuffer buf, int slot);

    /**
     * Index of the last entry whose key is at most {@code target}, or -1 when the first key is already
     * larger (or the index is empty).
     */
    protected int largestLowerBoundSlot(long target) {
        MappedByteBuffer buf = mmap;
        int n = entries;
        if (n == 0 || keyAt(buf, 0) > target) {
            return -1;
        }
        int warmStart = Math.max(0, n - WARM_BYTES / entrySize);
        if (keyAt(buf, warmStart) <= target) {
            return binarySearch(buf, target, warmStart, n - 1);
        }
        return binarySearch(buf, target, 0, warmStart);
    }

    private int binarySearch(MappedByteBuffer buf, long target, int lo, int hi) {
        // invariant: key(lo) <= target; find the largest such slot in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (keyAt(buf, mid) <= target) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /**
     * Makes sure the file system has blocks behind the slots of {@code more} entries after the current ones, by
     * writing zeros there through a channel, 64 KiB at a time. The index is a sparse file written through a
     * mapping, and a store into a mapped page the file system cannot back (a full disk) is a SIGBUS, which the
     * JVM reports as an {@link InternalError} at best; reserving before the segment's log write turns a full disk
     * into an ordinary {@link IOException} while nothing is written yet. Costs one small write per 64 KiB of
     * index (8192 offset entries, about 32 MiB of log at the default {@code index.interval.bytes}).
     */
    public void reserve(int more) throws IOException {
        long needed = Math.min((long) maxEntries, (long) entries + more) * entrySize;
        if (needed <= allocatedBytes) {
            return;
        }
        int from = Math.max(allocatedBytes, entries * entrySize);
        int to = (int)
                Math.min((long) maxEntries * entrySize, (needed + RESERVE_STEP - 1) / RESERVE_STEP * RESERVE_STEP);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(to - from);
            long pos = from;
            while (zeros.hasRemaining()) {
                pos += ch.write(zeros, pos);
            }
        }
        allocatedBytes = to;
    }

    /** Forgets every entry (before a rebuild). */
    public void reset() {
        truncateToEntries(0);
        allocatedBytes = 0; // a rebuilt file may be a sparse one left by a crash
    }

    /** Keeps the first {@code n} entries (a rebuild, or an append rolled back after a failed write). */
    public void truncateToEntries(int n) {
        if (n < entries) {
            entries = n;
        }
    }

    /** Forces the entries to disk. */
    public void flush() {
        mmap.force();
    }

    /**
     * Cuts the file to its entries and maps it again read-only size; called when the segment rolls or closes.
     * Readers holding the old mapping only touch slots below {@code entries}, which stay inside the file.
     */
    public void trimToValidSize() {
        resize(entries * entrySize);
    }

    /**
     * Grows a trimmed index back to {@code maxIndexSize} (rounded down to whole entries) so it can take entries
     * again: a segment that becomes the active one after the log was truncated into it. Readers holding the old
     * mapping keep reading their slots below {@link #entries()}.
     */
    public void growTo(int maxIndexSize) {
        if (maxIndexSize / entrySize > maxEntries) {
            resize(maxIndexSize);
        }
    }

    /** Remaps the file at {@code newSize} bytes (rounded down to whole entries, never below the entries). */
    private void resize(int newSize) {
        int size = roundDown(newSize);
        size = Math.max(size, entries * entrySize);
        // No force here: trimming happens inside append when the segment rolls, and an msync there stalls the
        // writer behind the whole file system journal (measured: 100+ ms tails). Entries reach the disk with the
        // next flush(), and a crash before that is repaired by recovery, which rebuilds unflushed indexes.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (ch.size() > size) {
                ch.truncate(size);
            } else if (ch.size() < size) {
                ch.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
            }
            mmap = ch.map(FileChannel.MapMode.READ_WRITE, 0, size);
            maxEntries = size / entrySize;
            allocatedBytes = Math.min(allocatedBytes, size);
        } catch (IOException e) {
            throw new UncheckedIOException("resizing index " + file, e);
        }
    }

    /** Renames the file (retention's {@code .deleted} step); the mapping stays valid. */
    public void renameTo(Path target) {
        try {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
            file = target;
        } catch (IOException e) {
            throw new UncheckedIOException("renaming " + file + " to " + target, e);
        }
    }

    /** Trims a writable index; a read-only one (tools) has nothing to write. */
    @Override
    public void close() {
        if (writable) {
            trimToValidSize();
        }
    }

    public void deleteIfExists() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("deleting " + file, e);
        }
    }
}
