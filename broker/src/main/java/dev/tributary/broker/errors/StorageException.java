package dev.tributary.broker.errors;

/** An I/O failure in the data directory while serving a request. */
public class StorageException extends BrokerException {
    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
