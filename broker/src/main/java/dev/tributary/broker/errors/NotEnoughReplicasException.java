package dev.tributary.broker.errors;

/**
 * An {@code acks=all} write refused before it was appended: the partition's in-sync replica set is smaller than
 * {@code min.insync.replicas}. Nothing was written; the producer retries.
 */
public class NotEnoughReplicasException extends BrokerException {
    public NotEnoughReplicasException(String message) {
        super(message);
    }
}
