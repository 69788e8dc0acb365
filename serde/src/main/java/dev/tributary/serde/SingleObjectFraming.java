package dev.tributary.serde;

/**
 * Avro's single-object encoding header, written and read by Avro's {@code BinaryMessageEncoder} and
 * {@code BinaryMessageDecoder}; this class only peeks at it to pick the decoder.
 *
 * <pre>
 *  0      1      2                                              10
 * +------+------+------------------------------------------------+----------------------
 * | 0xC3 | 0x01 | CRC-64-AVRO fingerprint of the writer schema    | Avro binary body ...
 * |      |      | (int64, little-endian)                          |
 * +------+------+------------------------------------------------+----------------------
 * </pre>
 */
final class SingleObjectFraming {
    static final byte MARKER_0 = (byte) 0xC3;
    static final byte MARKER_1 = 0x01;
    static final int FINGERPRINT_OFFSET = 2;
    static final int HEADER_LENGTH = FINGERPRINT_OFFSET + Long.BYTES;

    private SingleObjectFraming() {}

    static boolean hasMarker(byte[] data) {
        return data.length >= 2 && data[0] == MARKER_0 && data[1] == MARKER_1;
    }

    static long readFingerprint(byte[] data) {
        long fp = 0;
        for (int i = Long.BYTES - 1; i >= 0; i--) {
            fp = (fp << 8) | (data[FINGERPRINT_OFFSET + i] & 0xFFL);
        }
        return fp;
    }
}
