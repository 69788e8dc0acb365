package dev.tributary.log.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a small state file all at once: the bytes go to {@code <name>.tmp} next to it, are forced when asked,
 * and the temporary file is renamed over the target, so a crash leaves either the old content or the new one.
 * Used by the checkpoints, snapshots and metadata files of core-log and the broker.
 *
 * <p>A write that fails (no space left on the device) removes its temporary file; one left by a crash is removed
 * when the partition's log is next loaded.
 */
public final class AtomicFile {
    private AtomicFile() {}

    /**
     * @param force fsync the new content before the rename; without it a crash may leave the old file or an
     *              empty one, for files whose content is rederived on open
     */
    public static void write(Path target, ByteBuffer content, boolean force) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(
                    tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (content.hasRemaining()) {
                    ch.write(content);
                }
                if (force) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public static void write(Path target, byte[] content, boolean force) throws IOException {
        write(target, ByteBuffer.wrap(content), force);
    }

    /**
     * Forces {@code dir}, so that a rename into it survives a crash. Linux lets a directory be opened read-only
     * and forced; other systems may refuse, and there the rename's durability is up to the file system.
     */
    public static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort, see above
        }
    }
}
