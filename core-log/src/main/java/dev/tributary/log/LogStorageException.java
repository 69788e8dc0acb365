package dev.tributary.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A read or write of a partition's files failed in the file system: no space left on the device, an I/O error,
 * a file that could not be created or renamed. The data already in the log is intact (a failed append is rolled
 * back), so the partition keeps serving reads and takes appends again once the cause is gone. Kafka maps this to
 * {@code KAFKA_STORAGE_ERROR}.
 *
 * <p>The message names the partition ({@code topic-partition}), the operation and the operating system's reason,
 * never the server's file path: it goes to clients. The path is kept in {@link #file()} and the cause for the
 * broker's own log.
 */
public class LogStorageException extends LogException {
    private final String operation;
    private final transient Path file;

    /**
     * @param partition {@code topic-partition}
     * @param operation what failed, e.g. {@code append}, {@code flush}, {@code roll}, {@code read}
     * @param offset    the offset the operation concerned (an append's first offset), -1 when none
     * @param file      the file that failed, for diagnostics only; may be null
     */
    public LogStorageException(String partition, String operation, long offset, Path file, IOException cause) {
        super("storage error during " + operation, partition, offset, reason(cause));
        this.operation = operation;
        this.file = file;
        initCause(cause);
    }

    /** As the main constructor, unwrapping an {@link UncheckedIOException} from a lower layer. */
    public LogStorageException(String partition, String operation, long offset, Path file, UncheckedIOException cause) {
        this(partition, operation, offset, file, cause.getCause());
    }

    /** The operation that failed ({@code append}, {@code flush} ...). */
    public String operation() {
        return operation;
    }

    /** The file the failure concerns, when known; a server path, not for clients. */
    public Path file() {
        return file;
    }

    /** The operating system's reason without the path that a {@link FileSystemException} puts in its message. */
    private static String reason(IOException cause) {
        String reason = cause instanceof FileSystemException fse ? fse.getReason() : cause.getMessage();
        return reason != null ? reason : cause.getClass().getSimpleName();
    }
}
