package dev.tributary.broker.errors;

/**
 * A follower's request to its leader that failed without a more specific exception type: the leader answered a
 * Kafka error this broker has no class for, or the connection failed or timed out. Carries the Kafka error's
 * name ({@code NETWORK_EXCEPTION} for a connection that failed, {@code REQUEST_TIMED_OUT} for no answer in time)
 * and the leader's address, so that the follower's log says which broker and what went wrong.
 */
public class ReplicaFetchException extends BrokerException {
    /** The error name of a connection that could not be made, broke, or carried a malformed response. */
    public static final String NETWORK_EXCEPTION = "NETWORK_EXCEPTION";
    /** The error name of a request that got no answer within the request timeout. */
    public static final String REQUEST_TIMED_OUT = "REQUEST_TIMED_OUT";

    private final String errorName;
    private final String address;

    public ReplicaFetchException(String errorName, String address, String message) {
        this(errorName, address, message, null);
    }

    public ReplicaFetchException(String errorName, String address, String message, Throwable cause) {
        super((address == null ? "" : address + ": ") + errorName + ": " + message, cause);
        this.errorName = errorName;
        this.address = address;
    }

    /** The Kafka error name, e.g. {@code REQUEST_TIMED_OUT}. */
    public String errorName() {
        return errorName;
    }

    /** The leader's {@code host:port}, or null when the caller did not say. */
    public String address() {
        return address;
    }
}
