package dev.tributary.log;

/**
 * Outcome of one {@link Log#retention()} pass.
 *
 * @param segmentsDeleted segments removed from the log and renamed {@code .deleted}
 * @param reason          why (the largest reason applied), NONE when nothing was deleted
 * @param filesRemoved    {@code .deleted} segments whose delay had passed and whose files were removed
 * @param logStartOffset  the log start offset afterwards
 */
public record RetentionResult(
        int segmentsDeleted, RetentionPolicy.Reason reason, int filesRemoved, long logStartOffset) {}
