package dev.tributary.metadata.image;

import java.util.Objects;

/**
 * One address a broker listens on, named by its listener (for example {@code PLAINTEXT} for Kafka clients,
 * {@code REGISTRY} for the schema registry).
 */
public record Endpoint(String listener, String host, int port) {

    public Endpoint {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(host, "host");
        if (listener.isEmpty()) {
            throw new IllegalArgumentException(
                    "endpoint listener name is empty (host " + host + ", port " + port + ")");
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("endpoint host is empty for listener " + listener);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(
                    "endpoint port " + port + " of listener " + listener + " is outside 0..65535");
        }
    }

    @Override
    public String toString() {
        return listener + "://" + host + ":" + port;
    }
}
