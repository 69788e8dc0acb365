package dev.tributary.log.cleaner;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Off-heap open-addressing hash map from a key's MD5 digest to the latest offset seen for that key: the cleaner's
 * memory of the dirty section. Linear probing over fixed 24-byte slots in one direct buffer:
 *
 * <pre>
 *  0                   16        24
 * +---------------------+---------+
 * | MD5(key), 16 bytes  | offset+1|   offset+1 == 0 marks an empty slot (direct buffers start zeroed)
 * +---------------------+---------+
 * </pre>
 *
 * <p>Why a digest and not the key: keys can be any size, a fixed slot keeps the map a flat array with no per-key
 * allocation and no garbage. Two different keys sharing a 128-bit digest would make the cleaner drop the older
 * one's value; with 10^9 keys the chance is about 10^-21, which Kafka accepts too.
 *
 * <p>Why linear probing: one sequential cache line usually answers a miss. The map refuses puts beyond
 * {@code loadFactor} of its slots ({@link #isFull()}), so probe chains stay short.
 *
 * <p>Not thread-safe: one per cleaner thread.
 */
public final class OffsetMap {
    static final int DIGEST_OFFSET = 0;
    static final int DIGEST_LENGTH = 16;
    static final int OFFSET_OFFSET = DIGEST_OFFSET + DIGEST_LENGTH;
    static final int OFFSET_LENGTH = 8;
    public static final int SLOT_SIZE = OFFSET_OFFSET + OFFSET_LENGTH;

    private final ByteBuffer slots;
    private final int capacity;
    private final int maxEntries;
    private final MessageDigest md5;
    private final byte[] digest = new byte[DIGEST_LENGTH];
    private final long[] pair = new long[2];
    private int entries;
    private long latestOffset = -1;
    private long lookups;
    private long probes;

    public OffsetMap(int memoryBytes, double loadFactor) {
        this.capacity = memoryBytes / SLOT_SIZE;
        if (capacity < 2) {
            throw new IllegalArgumentException("offset map of " + memoryBytes + " bytes holds fewer than 2 slots");
        }
        this.maxEntries = (int) (capacity * loadFactor);
        this.slots = ByteBuffer.allocateDirect(capacity * SLOT_SIZE).order(ByteOrder.nativeOrder());
        try {
            this.md5 = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always provides MD5", e);
        }
    }

    /** Slots that may be filled before the map reports full. */
    public int maxEntries() {
        return maxEntries;
    }

    public int size() {
        return entries;
    }

    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** The largest offset put since the last clear, -1 if none. */
    public long latestOffset() {
        return latestOffset;
    }

    /** Average slots visited per lookup or put since the last clear (1.0 = no collisions). */
    public double averageProbes() {
        return lookups == 0 ? 0 : (double) probes / lookups;
    }

    /** Forgets every entry. Zeroing 128 MiB costs ~20 ms, small next to a cleaning run. */
    public void clear() {
        long bytes = (long) capacity * SLOT_SIZE;
        for (int p = 0; p + 8 <= bytes; p += 8) {
            slots.putLong(p, 0L);
        }
        entries = 0;
        latestOffset = -1;
        lookups = 0;
        probes = 0;
    }

    /** Records {@code offset} as the latest for {@code key} (its remaining bytes; position untouched). */
    public void put(ByteBuffer key, long offset) {
        put(key, key.position(), key.remaining(), offset);
    }

    /** The latest offset recorded for {@code key} (its remaining bytes), or -1 when it is not in the map. */
    public long get(ByteBuffer key) {
        return get(key, key.position(), key.remaining());
    }

    /**
     * Records {@code offset} as the latest for the key in {@code buf} at [{@code pos}, {@code pos + len}).
     *
     * @throws IllegalStateException when the map is full: callers check {@link #isFull()} first
     */
    public void put(ByteBuffer buf, int pos, int len, long offset) {
        digest(buf, pos, len, pair, 0);
        put(pair[0], pair[1], offset);
    }

    /** The latest offset recorded for the key in {@code buf} at [{@code pos}, {@code pos + len}), or -1. */
    public long get(ByteBuffer buf, int pos, int len) {
        digest(buf, pos, len, pair, 0);
        return get(pair[0], pair[1]);
    }

    /**
     * Writes the key's digest to {@code out[2 * i]} and {@code out[2 * i + 1]}. Digesting a whole batch first and
     * then probing lets the CPU overlap the probes' cache misses (each a random access into a map of up to 2 GiB,
     * a few hundred ns with a TLB miss) instead of waiting for each behind the next digest.
     */
    public void digest(ByteBuffer buf, int pos, int len, long[] out, int i) {
        if (buf.hasArray()) {
            md5.update(buf.array(), buf.arrayOffset() + pos, len);
        } else {
            md5.update(buf.slice(pos, len));
        }
        try {
            md5.digest(digest, 0, DIGEST_LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        out[2 * i] = longAt(0);
        out[2 * i + 1] = longAt(8);
    }

    /** {@link #put(ByteBuffer, int, int, long)} for a digest from {@link #digest}. */
    public void put(long d0, long d1, long offset) {
        int base = find(d0, d1) * SLOT_SIZE;
        if (slots.getLong(base + OFFSET_OFFSET) == 0) {
            if (entries >= maxEntries) {
                throw new IllegalStateException("offset map full at " + entries + " entries");
            }
            slots.putLong(base + DIGEST_OFFSET, d0);
            slots.putLong(base + DIGEST_OFFSET + 8, d1);
            entries++;
        }
        slots.putLong(base + OFFSET_OFFSET, offset + 1);
        if (offset > latestOffset) {
            latestOffset = offset;
        }
    }

    /** {@link #get(ByteBuffer, int, int)} for a digest from {@link #digest}. */
    public long get(long d0, long d1) {
        return slots.getLong(find(d0, d1) * SLOT_SIZE + OFFSET_OFFSET) - 1;
    }

    /** The digest's slot, or the empty slot where it would go. */
    private int find(long d0, long d1) {
        int slot = (int) ((d0 >>> 1) % capacity);
        lookups++;
        while (true) {
            probes++;
            int base = slot * SLOT_SIZE;
            if (slots.getLong(base + OFFSET_OFFSET) == 0 || sameDigest(base, d0, d1)) {
                return slot;
            }
            slot = slot + 1 == capacity ? 0 : slot + 1;
        }
    }

    private boolean sameDigest(int base, long d0, long d1) {
        return slots.getLong(base + DIGEST_OFFSET) == d0 && slots.getLong(base + DIGEST_OFFSET + 8) == d1;
    }

    private long longAt(int i) {
        long v = 0;
        for (int j = i; j < i + 8; j++) {
            v = v << 8 | (digest[j] & 0xffL);
        }
        return v;
    }
}
