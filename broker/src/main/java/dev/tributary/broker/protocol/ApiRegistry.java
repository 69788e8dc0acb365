package dev.tributary.broker.protocol;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * The table from API key to handler and implemented version range. Filled once at start-up, read-only
 * afterwards (handler threads read it without locks).
 */
public final class ApiRegistry {

    /**
     * One registered API.
     *
     * @param advertisedMin lowest version in the ApiVersions response
     * @param acceptedMin lowest version actually served; versions in [advertisedMin, acceptedMin) get
     *     UNSUPPORTED_VERSION (Produce v0-v2 are advertised for librdkafka, see KAFKA-18659)
     * @param max highest version advertised and served
     */
    public record Registration(
            ApiKeys key,
            short advertisedMin,
            short acceptedMin,
            short max,
            ApiHandler<? extends AbstractRequest> handler) {

        public boolean accepts(short version) {
            return version >= acceptedMin && version <= max;
        }
    }

    private final Map<ApiKeys, Registration> byKey = new EnumMap<>(ApiKeys.class);

    /** Registers an API served for versions {@code min..max}. */
    public <R extends AbstractRequest> void register(ApiKeys key, int min, int max, ApiHandler<R> handler) {
        register(key, min, min, max, handler);
    }

    /** Registers an API advertised from {@code advertisedMin} but served only from {@code acceptedMin}. */
    public <R extends AbstractRequest> void register(
            ApiKeys key, int advertisedMin, int acceptedMin, int max, ApiHandler<R> handler) {
        if (byKey.containsKey(key)) {
            throw new IllegalStateException("API " + key + " is already registered");
        }
        if (acceptedMin < key.oldestVersion() || max > key.latestVersion() || acceptedMin > max) {
            throw new IllegalArgumentException(
                    "API " + key + " versions " + acceptedMin + ".." + max + " outside what kafka-clients can parse ("
                            + key.oldestVersion() + ".." + key.latestVersion() + ")");
        }
        byKey.put(key, new Registration(key, (short) advertisedMin, (short) acceptedMin, (short) max, handler));
    }

    public Registration get(ApiKeys key) {
        return byKey.get(key);
    }

    public Collection<Registration> all() {
        return Collections.unmodifiableCollection(byKey.values());
    }
}
