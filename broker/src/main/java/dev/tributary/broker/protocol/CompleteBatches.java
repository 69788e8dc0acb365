package dev.tributary.broker.protocol;

import java.nio.ByteBuffer;

/**
 * The whole record batches at the front of a fetched records field. A broker may cut the last batch of a
 * response short at the byte limit (Kafka does; a consumer skips the partial batch and asks again from its
 * offset), and a follower must never append a partial batch. Pure.
 *
 * <p>Every batch, of any magic, starts with the same log overhead:
 * <pre>
 *  0                   8          12
 * +-------------------+----------+---------------------------+
 * | base offset int64 | size i32 | size bytes of batch body  |
 * +-------------------+----------+---------------------------+
 * </pre>
 * so a batch takes {@code 12 + size} bytes, whatever its version.
 */
final class CompleteBatches {
    static final int OFFSET_LENGTH = 8;
    static final int SIZE_OFFSET = OFFSET_LENGTH;
    static final int LOG_OVERHEAD = SIZE_OFFSET + 4;

    private CompleteBatches() {}

    /**
     * The longest prefix of {@code records} (from its position to its limit) made of whole batches, as a slice
     * that shares its bytes; {@code records} itself is not moved. A size below zero ends the prefix too.
     */
    static ByteBuffer prefix(ByteBuffer records) {
        int start = records.position();
        int end = records.limit();
        int at = start;
        while (end - at >= LOG_OVERHEAD) {
            int size = records.getInt(at + SIZE_OFFSET);
            if (size < 0 || (long) size + LOG_OVERHEAD > end - at) {
                break;
            }
            at += LOG_OVERHEAD + size;
        }
        return records.duplicate().position(start).limit(at).slice();
    }
}
