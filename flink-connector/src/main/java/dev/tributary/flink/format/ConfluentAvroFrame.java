package dev.tributary.flink.format;

/**
 * The Confluent wire framing of a registry-encoded Avro value.
 *
 * <pre>
 *  0        1                                   5
 * +--------+--------+--------+--------+--------+------------------------
 * | magic  |     schema id (int32, big-endian)     | Avro binary body ...
 * |  0x00  |                                       |
 * +--------+--------+--------+--------+--------+------------------------
 * </pre>
 */
final class ConfluentAvroFrame {

    static final byte MAGIC = 0;
    static final int MAGIC_OFFSET = 0;
    static final int ID_OFFSET = MAGIC_OFFSET + 1;
    static final int BODY_OFFSET = ID_OFFSET + Integer.BYTES;

    private ConfluentAvroFrame() {}

    static int readId(byte[] b) {
        return ((b[ID_OFFSET] & 0xFF) << 24)
                | ((b[ID_OFFSET + 1] & 0xFF) << 16)
                | ((b[ID_OFFSET + 2] & 0xFF) << 8)
                | (b[ID_OFFSET + 3] & 0xFF);
    }

    static void writeHeader(java.io.ByteArrayOutputStream out, int id) {
        out.write(MAGIC);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
    }
}
