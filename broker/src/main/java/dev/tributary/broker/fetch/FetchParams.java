package dev.tributary.broker.fetch;

/**
 * The limits of one fetch that apply to the whole request.
 *
 * @param minBytes  {@code min.bytes}: answer once this many record bytes are there (0 or less: at once)
 * @param maxBytes  {@code max.bytes}: the response's byte budget (see {@link FetchBudget})
 * @param maxWaitMs {@code max.wait.ms}: how long to wait for {@code minBytes} (0 or less: not at all)
 * @param replicaId the fetching follower's node id, or {@link #CONSUMER} for a client
 */
public record FetchParams(int minBytes, int maxBytes, long maxWaitMs, int replicaId) {
    /** The replica id of a consumer's fetch (Kafka's -1). */
    public static final int CONSUMER = -1;

    public FetchParams(int minBytes, int maxBytes, long maxWaitMs) {
        this(minBytes, maxBytes, maxWaitMs, CONSUMER);
    }

    /** A follower's fetch: it reads up to the log end, and its position moves the high watermark. */
    public boolean fromFollower() {
        return replicaId >= 0;
    }
}
