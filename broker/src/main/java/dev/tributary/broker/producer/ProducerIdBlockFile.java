package dev.tributary.broker.producer;

import dev.tributary.log.internal.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * {@code <data dir>/producer-id-block}: the first producer id not yet reserved. The broker reserves ids in
 * blocks by moving this mark forward <em>before</em> handing out any id of the block, so ids never repeat
 * across restarts, even after {@code kill -9}; a crash only skips the rest of the block.
 *
 * <h2>Layout, version 1 (big-endian, 14 bytes)</h2>
 * <pre>
 *  0         2            6                      14
 *  +---------+------------+----------------------+
 *  | version | crc32c     | next unreserved id   |
 *  | int16   | int32      | int64                |
 *  +---------+------------+----------------------+
 *  CRC-32C covers the id.
 * </pre>
 * Replaced atomically (temporary file, force, rename). Used only by {@link ProducerIdManager}.
 */
public final class ProducerIdBlockFile {

    public static final String FILE_NAME = "producer-id-block";
    public static final short VERSION_1 = 1;

    static final int VERSION_OFFSET = 0;
    static final int CRC_OFFSET = VERSION_OFFSET + 2;
    static final int NEXT_ID_OFFSET = CRC_OFFSET + 4;
    static final int SIZE = NEXT_ID_OFFSET + 8;

    private final Path file;

    public ProducerIdBlockFile(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    /** @return the first unreserved id, or 0 when the file does not exist yet */
    public long read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return 0L;
        }
        if (bytes.length != SIZE) {
            throw new CorruptProducerSnapshotException(file, 0, "file is " + bytes.length + " bytes, expected " + SIZE);
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        short version = buf.getShort(VERSION_OFFSET);
        if (version != VERSION_1) {
            throw new CorruptProducerSnapshotException(file, VERSION_OFFSET, "unknown version " + version);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, NEXT_ID_OFFSET, 8);
        if (buf.getInt(CRC_OFFSET) != (int) crc.getValue()) {
            throw new CorruptProducerSnapshotException(
                    file,
                    CRC_OFFSET,
                    String.format(
                            "stored CRC 0x%08x but content has 0x%08x", buf.getInt(CRC_OFFSET), (int) crc.getValue()));
        }
        long next = buf.getLong(NEXT_ID_OFFSET);
        if (next < 0) {
            throw new CorruptProducerSnapshotException(file, NEXT_ID_OFFSET, "negative next id " + next);
        }
        return next;
    }

    /** Durably records {@code nextUnreserved} as the first id not yet reserved. */
    public void write(long nextUnreserved) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(SIZE);
        buf.putShort(VERSION_OFFSET, VERSION_1);
        buf.putLong(NEXT_ID_OFFSET, nextUnreserved);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), NEXT_ID_OFFSET, 8);
        buf.putInt(CRC_OFFSET, (int) crc.getValue());
        try {
            AtomicFile.write(file, buf, true);
        } catch (IOException e) {
            Files.deleteIfExists(temporaryFile());
            throw e;
        }
    }

    /** {@link AtomicFile}'s temporary file for this one, left behind only by a crash mid-write. */
    Path temporaryFile() {
        return file.resolveSibling(FILE_NAME + ".tmp");
    }
}
