package dev.tributary.registry;

/** A request the registry refuses; {@link #error()} says which status and Confluent error code to answer. */
public class RegistryException extends RuntimeException {
    private final RegistryError error;

    public RegistryException(RegistryError error, String message) {
        super(message);
        this.error = error;
    }

    public RegistryException(RegistryError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public RegistryError error() {
        return error;
    }
}
