package dev.tributary.broker.producer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hands out producer ids for InitProducerId. Ids come from blocks of {@link #BLOCK_SIZE} reserved in
 * {@link ProducerIdBlockFile}, so one fsync covers a thousand producers and no id is ever given twice,
 * across clean restarts and crashes alike. Thread-safe.
 */
public final class ProducerIdManager {

    /** Ids reserved per write of the block file; a crash wastes at most this many. */
    public static final int BLOCK_SIZE = 1000;

    private final ProducerIdBlockFile file;
    private long next;
    private long blockEnd;

    private ProducerIdManager(ProducerIdBlockFile file, long next) {
        this.file = file;
        this.next = next;
        this.blockEnd = next;
    }

    /** Opens the allocator of a data directory; the first id given out follows every id reserved before. */
    public static ProducerIdManager open(Path dataDir) throws IOException {
        ProducerIdBlockFile file = new ProducerIdBlockFile(dataDir);
        Files.deleteIfExists(file.temporaryFile()); // left by a crash while reserving a block
        return new ProducerIdManager(file, file.read());
    }

    /** @return a producer id never returned before by this data directory */
    public synchronized long nextProducerId() throws IOException {
        if (next == blockEnd) {
            long newEnd = blockEnd + BLOCK_SIZE;
            file.write(newEnd);
            blockEnd = newEnd;
        }
        return next++;
    }
}
