package dev.tributary.broker.producer;

import dev.tributary.log.internal.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/**
 * A snapshot of a partition's producer state: {@code <partition dir>/<20-digit offset>.producer-state}.
 * The offset in the name is the log offset the snapshot covers up to (exclusive); on restart the batches
 * from that offset on are replayed from the log.
 *
 * <p>The name differs from Kafka's {@code .snapshot} because the content is our own format; a partition
 * directory copied from Kafka keeps its files and simply has its producer state rebuilt from the log.
 *
 * <h2>Layout, version 1 (big-endian)</h2>
 * <pre>
 *  0        2             6            10
 *  +--------+-------------+------------+-------------------+
 *  | version| crc32c      | entry count| entries ...       |
 *  | int16  | int32       | int32      |                   |
 *  +--------+-------------+------------+-------------------+
 *  CRC-32C covers everything from the entry count to the end of the file.
 *
 *  entry:  producer id int64 | epoch int16 | last timestamp int64 | batch count int8 | batches ...
 *  batch:  first seq int32 | last seq int32 | first offset int64 | last offset int64 | timestamp int64
 * </pre>
 *
 * <p>Written to a temporary file ({@code <name>.tmp}), forced, and renamed into place, so a crash leaves
 * either the old or the new snapshot, never half of one; a temporary file left by a failed write is
 * deleted at once, one left by a crash when the partition's producer state is next loaded. A snapshot that fails its checks raises
 * {@link CorruptProducerSnapshotException}; callers then rebuild from the log instead.
 *
 * <p>Called by the partition's producer-state owner only, from one thread at a time.
 */
public final class ProducerSnapshotFile {

    public static final String SUFFIX = ".producer-state";
    /** What {@link AtomicFile} appends to the name of the file it is writing. */
    static final String TEMPORARY_SUFFIX = ".tmp";

    public static final short VERSION_1 = 1;

    static final int VERSION_OFFSET = 0;
    static final int CRC_OFFSET = VERSION_OFFSET + 2;
    static final int COUNT_OFFSET = CRC_OFFSET + 4;
    static final int HEADER_SIZE = COUNT_OFFSET + 4;
    static final int ENTRY_HEADER_SIZE = 8 + 2 + 8 + 1;
    static final int BATCH_SIZE = 4 + 4 + 8 + 8 + 8;

    private ProducerSnapshotFile() {}

    /** @return the file name for a snapshot at this offset */
    public static String fileName(long offset) {
        return String.format("%020d%s", offset, SUFFIX);
    }

    /** @return the offset a snapshot file name carries, or empty if the name is not a snapshot's */
    public static OptionalLong offsetOf(Path file) {
        String name = file.getFileName().toString();
        if (!name.endsWith(SUFFIX) || name.length() != 20 + SUFFIX.length()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(name.substring(0, 20)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** @return the snapshot files in a directory, newest (highest offset) first */
    public static List<Path> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> offsetOf(p).isPresent()).forEach(files::add);
        }
        files.sort((a, b) -> Long.compare(offsetOf(b).getAsLong(), offsetOf(a).getAsLong()));
        return files;
    }

    /** Writes a snapshot of these entries at {@code offset} into {@code dir} and returns its path. */
    public static Path write(Path dir, long offset, List<ProducerStateEntry> entries) throws IOException {
        int size = HEADER_SIZE;
        for (ProducerStateEntry e : entries) {
            size += ENTRY_HEADER_SIZE + BATCH_SIZE * e.batches().size();
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        buf.putShort(VERSION_OFFSET, VERSION_1);
        buf.position(COUNT_OFFSET);
        buf.putInt(entries.size());
        for (ProducerStateEntry e : entries) {
            List<BatchMetadata> batches = e.batches();
            buf.putLong(e.producerId())
                    .putShort(e.epoch())
                    .putLong(e.lastTimestamp())
                    .put((byte) batches.size());
            for (BatchMetadata b : batches) {
                buf.putInt(b.firstSequence())
                        .putInt(b.lastSequence())
                        .putLong(b.firstOffset())
                        .putLong(b.lastOffset())
                        .putLong(b.timestamp());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), COUNT_OFFSET, size - COUNT_OFFSET);
        buf.putInt(CRC_OFFSET, (int) crc.getValue());
        buf.flip();

        Path target = dir.resolve(fileName(offset));
        try {
            AtomicFile.write(target, buf, true);
        } catch (IOException e) {
            // e.g. no space left: do not leave the half-written temporary file behind
            Files.deleteIfExists(temporaryFile(target));
            throw e;
        }
        return target;
    }

    static Path temporaryFile(Path target) {
        return target.resolveSibling(target.getFileName() + TEMPORARY_SUFFIX);
    }

    /**
     * Deletes the temporary files of snapshot writes that were interrupted (a crash, a full disk) in a
     * partition directory; the snapshots themselves are untouched.
     *
     * @return the files deleted
     */
    public static List<Path> deleteTemporaryFiles(Path dir) throws IOException {
        List<Path> deleted = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return deleted;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(SUFFIX + TEMPORARY_SUFFIX) && Files.deleteIfExists(p)) {
                    deleted.add(p);
                }
            }
        }
        return deleted;
    }

    /** Reads and verifies a snapshot. */
    public static List<ProducerStateEntry> read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file));
        if (buf.limit() < HEADER_SIZE) {
            throw new CorruptProducerSnapshotException(
                    file, 0, "file is " + buf.limit() + " bytes, shorter than the " + HEADER_SIZE + "-byte header");
        }
        short version = buf.getShort(VERSION_OFFSET);
        if (version != VERSION_1) {
            throw new CorruptProducerSnapshotException(file, VERSION_OFFSET, "unknown version " + version);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), COUNT_OFFSET, buf.limit() - COUNT_OFFSET);
        int stored = buf.getInt(CRC_OFFSET);
        if (stored != (int) crc.getValue()) {
            throw new CorruptProducerSnapshotException(
                    file,
                    CRC_OFFSET,
                    String.format("stored CRC 0x%08x but content has 0x%08x", stored, (int) crc.getValue()));
        }
        buf.position(COUNT_OFFSET);
        int count = buf.getInt();
        if (count < 0) {
            throw new CorruptProducerSnapshotException(file, COUNT_OFFSET, "negative entry count " + count);
        }
        List<ProducerStateEntry> entries = new ArrayList<>(Math.min(count, 1 << 16));
        try {
            for (int i = 0; i < count; i++) {
                long producerId = buf.getLong();
                short epoch = buf.getShort();
                long lastTimestamp = buf.getLong();
                int batchCount = buf.get();
                if (batchCount < 0 || batchCount > ProducerStateEntry.MAX_CACHED_BATCHES) {
                    throw new CorruptProducerSnapshotException(
                            file,
                            buf.position() - 1,
                            "batch count " + batchCount + " outside 0.." + ProducerStateEntry.MAX_CACHED_BATCHES);
                }
                ProducerStateEntry entry = new ProducerStateEntry(producerId, epoch, lastTimestamp);
                for (int j = 0; j < batchCount; j++) {
                    entry.restoreBatch(
                            new BatchMetadata(buf.getInt(), buf.getInt(), buf.getLong(), buf.getLong(), buf.getLong()));
                }
                entries.add(entry);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new CorruptProducerSnapshotException(
                    file, buf.position(), "entries run past the end of the file (" + count + " declared)");
        }
        return entries;
    }
}
