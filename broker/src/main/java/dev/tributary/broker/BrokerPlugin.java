package dev.tributary.broker;

import java.util.Map;
import java.util.Set;

/**
 * Something hosted inside the broker process next to the Kafka listener, such as the schema registry.
 * Found with {@link java.util.ServiceLoader} on the class path; started after the listener is up and
 * closed before storage is.
 */
public interface BrokerPlugin extends AutoCloseable {

    /** Starts the plugin. It reads its own settings with {@code services.config()}'s typed getters. */
    void start(BrokerServices services) throws Exception;

    /** The broker settings this plugin reads, so that the broker does not report them as unknown. */
    default Set<String> configKeys() {
        return Set.of();
    }

    /** Addresses it serves, e.g. {@code "registry.url" -> "http://127.0.0.1:8081"}. */
    default Map<String, String> endpoints() {
        return Map.of();
    }

    @Override
    default void close() throws Exception {}
}
