package dev.tributary.broker.errors;

/**
 * An {@code acks=all} produce was written by the leader but the followers in the ISR did not all have it within
 * the request's timeout ({@code REQUEST_TIMED_OUT}; the producer retries, and its sequence numbers dedupe).
 */
public class ReplicationTimeoutException extends BrokerException {
    public ReplicationTimeoutException(String message) {
        super(message);
    }
}
