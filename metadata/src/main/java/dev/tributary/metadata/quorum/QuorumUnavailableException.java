package dev.tributary.metadata.quorum;

/**
 * A command or read could not be completed by the quorum: no leader was reachable within the client's
 * attempts, or the leader refused the request before it entered the log (for example bytes it cannot
 * decode). Whether a command that timed out was applied is unknown; commands are safe to resubmit only
 * when applying them twice is harmless (registrations and heartbeats are; id allocations waste a block).
 */
public class QuorumUnavailableException extends RuntimeException {

    public QuorumUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
