package dev.tributary.log.index;

import dev.tributary.log.TimestampOffset;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The {@code <base offset>.timeindex} file: a sparse map from timestamp to offset, byte for byte Kafka's
 * format. Entries are 12 bytes, big-endian, with strictly increasing timestamps:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    timestamp (ms), int64                      |
 * +                                                               +
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          relative offset (offset - base offset), int32        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * An entry says: the largest timestamp in the segment up to this point is {@code timestamp}, and it is in the
 * batch whose last offset is {@code offset}. Entries are added with the offset index entries and once more when
 * the segment rolls or closes, so the last entry always carries the segment's largest timestamp (retention and
 * reopening read it from there). One slot stays free for that final entry.
 */
public final class TimeIndex extends AbstractIndex {
    public static final int ENTRY_SIZE = 12;
    static final int TIMESTAMP_OFFSET = 0;
    static final int RELATIVE_OFFSET_OFFSET = 8;

    public TimeIndex(Path file, long baseOffset, int maxIndexSize, boolean writable) {
        super(file, baseOffset, maxIndexSize, writable, ENTRY_SIZE);
    }

    @Override
    protected long keyAt(MappedByteBuffer buf, int slot) {
        return buf.getLong(slot * ENTRY_SIZE + TIMESTAMP_OFFSET);
    }

    public TimestampOffset entry(int slot) {
        MappedByteBuffer buf = mmap();
        return new TimestampOffset(
                buf.getLong(slot * ENTRY_SIZE + TIMESTAMP_OFFSET),
                buf.getInt(slot * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET) + baseOffset);
    }

    /** The last entry, or (-1, baseOffset) when empty. */
    public TimestampOffset lastEntry() {
        int n = entries();
        return n == 0 ? new TimestampOffset(TimestampOffset.NO_TIMESTAMP, baseOffset) : entry(n - 1);
    }

    /** Full one slot early: the last slot is kept for the entry written when the segment rolls. */
    @Override
    public boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * The entry with the largest timestamp at most {@code timestamp}, or (-1, baseOffset) if none: where a search
     * for the first record at or after {@code timestamp} starts.
     */
    public TimestampOffset lookup(long timestamp) {
        int slot = largestLowerBoundSlot(timestamp);
        return slot < 0 ? new TimestampOffset(TimestampOffset.NO_TIMESTAMP, baseOffset) : entry(slot);
    }

    /**
     * Appends (timestamp, offset) if the timestamp is larger than the last entry's; otherwise does nothing.
     *
     * @param skipFullCheck true for the final entry at roll/close, which may use the reserved slot
     */
    public void maybeAppend(long timestamp, long offset, boolean skipFullCheck) {
        int n = entries();
        if (timestamp < 0) {
            return;
        }
        if (n >= maxEntries() || (!skipFullCheck && isFull())) {
            if (n >= maxEntries()) {
                return;
            }
            throw new IllegalStateException("time index " + file() + " is full at " + n + " entries");
        }
        if (n > 0) {
            TimestampOffset last = entry(n - 1);
            if (timestamp <= last.timestamp()) {
                return;
            }
            if (offset < last.offset()) {
                throw new IllegalArgumentException("offset " + offset + " below last entry " + last + " in " + file());
            }
        }
        MappedByteBuffer buf = mmap();
        buf.putLong(n * ENTRY_SIZE + TIMESTAMP_OFFSET, timestamp);
        buf.putInt(n * ENTRY_SIZE + RELATIVE_OFFSET_OFFSET, relativeOffset(offset));
        publishEntry();
    }

    /**
     * Drops the entries whose offset is at or above {@code offset} (the log was truncated there). Offsets of
     * entries never decrease, so this walks back from the end over the entries that go.
     */
    public void truncateTo(long offset) {
        int keep = entries();
        while (keep > 0 && entry(keep - 1).offset() >= offset) {
            keep--;
        }
        truncateToEntries(keep);
    }

    /** Checks the entries against the format's invariants; throws {@link CorruptIndexException} if broken. */
    public void sanityCheck(long lastOffsetInSegment) {
        int n = entries();
        long prevTs = Long.MIN_VALUE;
        long prevOffset = -1;
        for (int i = 0; i < n; i++) {
            TimestampOffset e = entry(i);
            if (e.timestamp() <= prevTs || e.timestamp() < 0) {
                throw new CorruptIndexException(
                        "time index entry " + i + " timestamp out of order", file().toString(), i, e.timestamp());
            }
            if (e.offset() < baseOffset || e.offset() < prevOffset || e.offset() > lastOffsetInSegment) {
                throw new CorruptIndexException(
                        "time index entry " + i + " offset invalid (last offset " + lastOffsetInSegment + ")",
                        file().toString(),
                        i,
                        e.offset());
            }
            prevTs = e.timestamp();
            prevOffset = e.offset();
        }
    }
}
