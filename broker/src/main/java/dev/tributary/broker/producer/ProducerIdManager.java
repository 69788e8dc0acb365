package dev.tributary.broker.producer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hands out producer ids for InitProducerId, from blocks. On a single node the blocks are reserved in
 * {@link ProducerIdBlockFile} ({@link #BLOCK_SIZE} at a time), so one fsync covers a thousand producers and no id
 * is ever given twice, across clean restarts and crashes alike. On a cluster node the blocks come from the
 * metadata quorum ({@link #useBlocksFrom}), so no two nodes ever give the same id, which an idempotent producer
 * needs once its partitions fail over. Thread-safe.
 */
public final class ProducerIdManager {

    /** Ids reserved per write of the block file; a crash wastes at most this many. */
    public static final int BLOCK_SIZE = 1000;

    /** Where blocks of ids come from. */
    @FunctionalInterface
    public interface BlockSource {
        /** A new block, never handed out before; {@code firstId} to {@code firstId + count - 1}. */
        IdBlock next() throws IOException;
    }

    /** Ids {@code firstId} to {@code firstId + count - 1}. */
    public record IdBlock(long firstId, int count) {}

    private BlockSource source;
    private long next;
    private long blockEnd;

    private ProducerIdManager(BlockSource source, long next) {
        this.source = source;
        this.next = next;
        this.blockEnd = next;
    }

    /** Opens the allocator of a data directory; the first id given out follows every id reserved before. */
    public static ProducerIdManager open(Path dataDir) throws IOException {
        ProducerIdBlockFile file = new ProducerIdBlockFile(dataDir);
        Files.deleteIfExists(file.temporaryFile()); // left by a crash while reserving a block
        long first = file.read();
        long[] end = {first};
        return new ProducerIdManager(
                () -> {
                    long start = end[0];
                    file.write(start + BLOCK_SIZE);
                    end[0] = start + BLOCK_SIZE;
                    return new IdBlock(start, BLOCK_SIZE);
                },
                first);
    }

    /** From now on, takes new blocks from {@code blocks} (a cluster node's quorum); the current block is dropped. */
    public synchronized void useBlocksFrom(BlockSource blocks) {
        this.source = blocks;
        this.blockEnd = next;
    }

    /** @return a producer id never returned before by this allocator's source */
    public synchronized long nextProducerId() throws IOException {
        if (next == blockEnd) {
            IdBlock block = source.next();
            next = block.firstId();
            blockEnd = block.firstId() + block.count();
        }
        return next++;
    }
}
