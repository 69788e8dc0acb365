package dev.tributary.log.index;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The {@code <base offset>.index} file: a sparse map from offset to file position in the segment's
 * {@code .log}, byte for byte Kafka's format. Entries are 8 bytes, big-endian, in increasing offset order:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          relative offset (offset - base offset), int32        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            physical position of the batch, int32              |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The offset of an entry is the <em>last</em> offset of the batch at that position, which is what Kafka's
 * segment writes and what its {@code DumpLogSegments --verify-index-only} checks. One entry is added after
 * more than {@code index.interval.bytes} of batches since the previous one.
 */
public final class OffsetIndex extends AbstractIndex {
    public static final int ENTRY_SIZE = 8;
    static final int RELATIVE_OFFSET_OFFSET = 0;
    static final int POSITION_OFFSET = 4;

    public OffsetIndex(Path file, long baseOffset, int maxIndexSize, boolean writable) {
        super(file, baseOffset, maxIndexSize, writable, ENTRY_SIZE);
    }

    @Override
    protected long keyAt(MappedByteBuffer buf, int slot) {
        return buf.getInt(slot * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET) + baseOffset;
    }

    public OffsetPosition entry(int slot) {
        MappedByteBuffer buf = mmap();
        return new OffsetPosition(
                buf.getInt(slot * ENTRY_SIZE) + baseOffset, buf.getInt(slot * ENTRY_SIZE + POSITION_OFFSET));
    }

    /** The last entry, or (baseOffset, 0) when empty. */
    public OffsetPosition lastEntry() {
        int n = entries();
        return n == 0 ? new OffsetPosition(baseOffset, 0) : entry(n - 1);
    }

    /**
     * The entry with the largest offset at most {@code target}, or (baseOffset, 0) if none: the position from
     * which a forward scan finds the batch containing {@code target}.
     */
    public OffsetPosition lookup(long target) {
        int slot = largestLowerBoundSlot(target);
        return slot < 0 ? new OffsetPosition(baseOffset, 0) : entry(slot);
    }

    /**
     * The entry with the largest position at most {@code maxPosition}, or null: a batch boundary the read path
     * can jump to instead of reading every batch header on the way (positions increase with offsets).
     */
    public OffsetPosition lookupByPosition(int maxPosition) {
        MappedByteBuffer buf = mmap();
        int n = entries();
        if (n == 0 || buf.getInt(POSITION_OFFSET) > maxPosition) {
            return null;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (buf.getInt(mid * ENTRY_SIZE + POSITION_OFFSET) <= maxPosition) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return entry(lo);
    }

    /** Appends an entry; offsets must increase strictly. */
    public void append(long offset, int position) {
        int n = entries();
        if (n >= maxEntries()) {
            throw new IllegalStateException("index " + file() + " is full at " + n + " entries");
        }
        if (n > 0 && offset <= entry(n - 1).offset()) {
            throw new IllegalArgumentException(
                    "offset " + offset + " not above last entry " + entry(n - 1) + " in " + file());
        }
        MappedByteBuffer buf = mmap();
        buf.putInt(n * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET, relativeOffset(offset));
        buf.putInt(n * ENTRY_SIZE + POSITION_OFFSET, position);
        publishEntry();
    }

    /** Drops the entries whose offset is at or above {@code offset} (the log was truncated there). */
    public void truncateTo(long offset) {
        truncateToEntries(largestLowerBoundSlot(offset - 1) + 1);
    }

    /** Checks the entries against the format's invariants; throws {@link CorruptIndexException} if broken. */
    public void sanityCheck(long logSizeInBytes) {
        int n = entries();
        long prevOffset = -1;
        int prevPosition = -1;
        for (int i = 0; i < n; i++) {
            OffsetPosition e = entry(i);
            if (e.offset() < baseOffset || e.offset() <= prevOffset) {
                throw new CorruptIndexException(
                        "offset index entry " + i + " offset out of order", file().toString(), i, e.offset());
            }
            if (e.position() < 0 || e.position() <= prevPosition || e.position() >= logSizeInBytes) {
                throw new CorruptIndexException(
                        "offset index entry " + i + " position invalid (log size " + logSizeInBytes + ")",
                        file().toString(),
                        i,
                        e.position());
            }
            prevOffset = e.offset();
            prevPosition = e.position();
        }
    }
}
