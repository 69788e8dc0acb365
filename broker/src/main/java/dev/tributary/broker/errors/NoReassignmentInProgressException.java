package dev.tributary.broker.errors;

/** A cancelled reassignment of a partition that is not being moved ({@code NO_REASSIGNMENT_IN_PROGRESS}). */
public class NoReassignmentInProgressException extends BrokerException {
    public NoReassignmentInProgressException(String message) {
        super(message);
    }
}
