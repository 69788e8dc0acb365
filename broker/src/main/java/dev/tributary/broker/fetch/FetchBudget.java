package dev.tributary.broker.fetch;

/**
 * The byte limits of one fetch: {@code partitionMaxBytes} per partition and {@code maxBytes} for the
 * whole response. The first partition that has data always gets at least one whole batch, even a
 * batch larger than both limits, so a consumer can never get stuck behind a big batch (KIP-74).
 * Later partitions only get data that fits what is left. No I/O; one instance per fetch.
 */
public final class FetchBudget {
    private long remaining;
    private boolean anyData;

    public FetchBudget(int responseMaxBytes) {
        this.remaining = responseMaxBytes;
    }

    /** How many bytes to ask the log for, for a partition with this limit (at least 1). */
    public int askFor(int partitionMaxBytes) {
        long n = Math.min(partitionMaxBytes, Math.max(remaining, 0));
        return (int) Math.max(n, 1);
    }

    /**
     * Whether a region of {@code bytes} read with limit {@code asked} may go into the response, and
     * if so charges it.
     */
    public boolean accept(long bytes, int partitionMaxBytes) {
        if (bytes == 0) {
            return true;
        }
        if (anyData && (bytes > remaining || bytes > partitionMaxBytes)) {
            return false;
        }
        anyData = true;
        remaining -= bytes;
        return true;
    }

    public long remaining() {
        return remaining;
    }
}
