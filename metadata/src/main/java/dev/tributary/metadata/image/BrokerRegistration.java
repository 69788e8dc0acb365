package dev.tributary.metadata.image;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A broker as the quorum knows it.
 *
 * <p>{@code incarnationId} is chosen by the broker process at start; a registration with another incarnation
 * means the process restarted, so everything the old one led is taken away. {@code lastHeartbeatMs} is a
 * logical time: the quorum leader's clock when it accepted the heartbeat, written into the log, so every
 * node decides fencing from the same numbers. A fenced broker leads nothing and joins no ISR.
 */
public record BrokerRegistration(
        int id, UUID incarnationId, List<Endpoint> endpoints, boolean fenced, long lastHeartbeatMs) {

    public BrokerRegistration {
        if (id < 0) {
            throw new IllegalArgumentException("broker id " + id + " is negative");
        }
        Objects.requireNonNull(incarnationId, "incarnationId");
        endpoints = List.copyOf(endpoints);
    }

    public BrokerRegistration withFenced(boolean newFenced) {
        return new BrokerRegistration(id, incarnationId, endpoints, newFenced, lastHeartbeatMs);
    }

    public BrokerRegistration withLastHeartbeatMs(long timeMs) {
        return new BrokerRegistration(id, incarnationId, endpoints, fenced, timeMs);
    }
}
