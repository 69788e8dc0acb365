package dev.tributary.serde;

/**
 * The Confluent wire framing in front of an Avro binary body.
 *
 * <pre>
 *  0        1                               5
 * +--------+--------+--------+--------+--------+----------------------
 * | magic  |        schema id (int32, big-endian)      | Avro binary body ...
 * |  0x00  |                                           |
 * +--------+--------+--------+--------+--------+----------------------
 * </pre>
 */
final class ConfluentFraming {
    static final byte MAGIC = 0;
    static final int MAGIC_OFFSET = 0;
    static final int ID_OFFSET = MAGIC_OFFSET + 1;
    static final int BODY_OFFSET = ID_OFFSET + Integer.BYTES;
    static final int HEADER_LENGTH = BODY_OFFSET;

    private ConfluentFraming() {}

    static int readId(byte[] data) {
        return ((data[ID_OFFSET] & 0xFF) << 24)
                | ((data[ID_OFFSET + 1] & 0xFF) << 16)
                | ((data[ID_OFFSET + 2] & 0xFF) << 8)
                | (data[ID_OFFSET + 3] & 0xFF);
    }

    static void writeHeader(byte[] out, int id) {
        out[MAGIC_OFFSET] = MAGIC;
        out[ID_OFFSET] = (byte) (id >>> 24);
        out[ID_OFFSET + 1] = (byte) (id >>> 16);
        out[ID_OFFSET + 2] = (byte) (id >>> 8);
        out[ID_OFFSET + 3] = (byte) id;
    }
}
