package dev.tributary.broker.errors;

/**
 * An {@code acks=all} write that the leader appended, but whose in-sync replica set shrank below
 * {@code min.insync.replicas} before the high watermark covered it. The records may stay in the log; an
 * idempotent producer's retry is recognised as a duplicate.
 */
public class NotEnoughReplicasAfterAppendException extends BrokerException {
    public NotEnoughReplicasAfterAppendException(String message) {
        super(message);
    }
}
