package dev.tributary.broker.cluster;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.HeartbeatAccepted;
import dev.tributary.metadata.command.CommandResult.Rejected;
import dev.tributary.metadata.command.MetadataError;

/**
 * What a cluster node sends the quorum next about itself, and when: the pure rules of {@link BrokerLifecycle}
 * (no I/O, no clock; times are passed in).
 *
 * <ul>
 *   <li>{@link Step#REGISTER} first; once it commits, {@link Step#UNFENCE} at once.
 *   <li>Once unfenced, a {@link Step#HEARTBEAT} every {@code heartbeatIntervalMs}.
 *   <li>A heartbeat answered "fenced" (the session expired, say while the quorum changed leader) leads to
 *       {@link Step#UNFENCE} at once.
 *   <li>A heartbeat or unfence refused with {@code STALE_BROKER_INCARNATION} or {@code UNKNOWN_BROKER} (another
 *       process registered under this id, or the registration was lost) leads to {@link Step#REGISTER} at once.
 *   <li>When the quorum does not answer (no leader yet, a timeout) or refuses for another reason, the same step
 *       is retried after a backoff that doubles from {@link #INITIAL_BACKOFF_MS} up to the heartbeat interval,
 *       and starts over after a success.
 *   <li>An active broker whose last accepted heartbeat (or unfence) is older than the session timeout has lost
 *       its session as far as it can tell ({@link #hasLostSession}): the quorum has fenced it by now, or cannot
 *       be reached, so it must stop leading until the quorum accepts it again.
 * </ul>
 */
public final class RegistrationState {

    public static final long INITIAL_BACKOFF_MS = 100;

    /** The command to send next. */
    public enum Step {
        REGISTER,
        UNFENCE,
        HEARTBEAT
    }

    /** Where this broker stands as far as it knows from the quorum's answers. */
    public enum Status {
        /** No registration has committed yet (or it must be redone). */
        NOT_REGISTERED,
        /** Registered, but fenced: it must not lead. */
        FENCED,
        /** Registered and unfenced. */
        ACTIVE
    }

    private final long heartbeatIntervalMs;
    private Step step = Step.REGISTER;
    private Status status = Status.NOT_REGISTERED;
    private long dueMs;
    private long backoffMs = INITIAL_BACKOFF_MS;
    private long lastAcceptedMs = Long.MIN_VALUE;

    public RegistrationState(long heartbeatIntervalMs, long nowMs) {
        if (heartbeatIntervalMs <= 0) {
            throw new IllegalArgumentException("heartbeat interval " + heartbeatIntervalMs + " ms must be positive");
        }
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.dueMs = nowMs;
    }

    public Step step() {
        return step;
    }

    public Status status() {
        return status;
    }

    /** When {@link #step()} is due. */
    public long dueMs() {
        return dueMs;
    }

    public boolean isDue(long nowMs) {
        return nowMs >= dueMs;
    }

    /** The quorum answered {@code result} to the {@code sent} step. */
    public void answered(Step sent, CommandResult result, long nowMs) {
        if (sent != step) {
            return; // an answer to a step that is no longer current
        }
        if (result instanceof Rejected r) {
            if (r.error() == MetadataError.STALE_BROKER_INCARNATION || r.error() == MetadataError.UNKNOWN_BROKER) {
                if (sent != Step.REGISTER) {
                    next(Step.REGISTER, Status.NOT_REGISTERED, nowMs);
                    return;
                }
            }
            retryLater(nowMs);
            return;
        }
        backoffMs = INITIAL_BACKOFF_MS;
        switch (sent) {
            case REGISTER -> next(Step.UNFENCE, Status.FENCED, nowMs);
            case UNFENCE -> {
                lastAcceptedMs = nowMs;
                next(Step.HEARTBEAT, Status.ACTIVE, nowMs + heartbeatIntervalMs);
            }
            case HEARTBEAT -> {
                if (result instanceof HeartbeatAccepted h && h.fenced()) {
                    next(Step.UNFENCE, Status.FENCED, nowMs);
                } else {
                    lastAcceptedMs = nowMs;
                    next(Step.HEARTBEAT, Status.ACTIVE, nowMs + heartbeatIntervalMs);
                }
            }
        }
    }

    /**
     * True if this broker is active by its own account but the quorum has accepted none of its heartbeats for more
     * than {@code sessionTimeoutMs}: it must act as fenced (lead nothing) until a heartbeat is accepted again.
     */
    public boolean hasLostSession(long nowMs, long sessionTimeoutMs) {
        return status == Status.ACTIVE && nowMs - lastAcceptedMs > sessionTimeoutMs;
    }

    /** The quorum did not answer the {@code sent} step (no leader, a timeout): retry it after a backoff. */
    public void unanswered(Step sent, long nowMs) {
        if (sent == step) {
            retryLater(nowMs);
        }
    }

    private void retryLater(long nowMs) {
        dueMs = nowMs + backoffMs;
        backoffMs = Math.min(backoffMs * 2, Math.max(INITIAL_BACKOFF_MS, heartbeatIntervalMs));
    }

    private void next(Step nextStep, Status nextStatus, long due) {
        step = nextStep;
        status = nextStatus;
        dueMs = due;
    }
}
