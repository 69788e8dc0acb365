package dev.tributary.broker.fetch;

/**
 * The limits of one fetch that apply to the whole request.
 *
 * @param minBytes  {@code min.bytes}: answer once this many record bytes are there (0 or less: at once)
 * @param maxBytes  {@code max.bytes}: the response's byte budget (see {@link FetchBudget})
 * @param maxWaitMs {@code max.wait.ms}: how long to wait for {@code minBytes} (0 or less: not at all)
 */
public record FetchParams(int minBytes, int maxBytes, long maxWaitMs) {}
