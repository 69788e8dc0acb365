package dev.tributary.broker;

import java.util.Map;

/**
 * Something hosted inside the broker process next to the Kafka listener, such as the schema registry.
 * Found with {@link java.util.ServiceLoader} on the class path; started after the listener is up and
 * closed before storage is.
 */
public interface BrokerPlugin extends AutoCloseable {

    /** Starts the plugin. It reads its own settings from {@code services.config().raw()}. */
    void start(BrokerServices services) throws Exception;

    /** Addresses it serves, e.g. {@code "registry.url" -> "http://127.0.0.1:8081"}. */
    default Map<String, String> endpoints() {
        return Map.of();
    }

    @Override
    default void close() throws Exception {
    }
}
