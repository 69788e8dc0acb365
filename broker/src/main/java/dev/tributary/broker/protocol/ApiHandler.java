package dev.tributary.broker.protocol;

import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Handles one parsed request of one API. Registered per {@code ApiKeys} in an {@link ApiRegistry};
 * called on a request-handler thread. The handler must finish the request through the
 * {@link RequestContext} exactly once, now or later (long-polling fetches finish later).
 *
 * <p>An exception thrown from {@code handle} becomes the API's error response, with the error code
 * chosen by {@link ErrorCodes}.
 */
@FunctionalInterface
public interface ApiHandler<R extends AbstractRequest> {
    void handle(RequestContext context, R request) throws Exception;
}
