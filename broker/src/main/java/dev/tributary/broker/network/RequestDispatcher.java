package dev.tributary.broker.network;

/**
 * What the network layer hands complete frames to. Implemented by the protocol adapter; called on a
 * request-handler thread. Exactly one of {@link Connection#sendResponse}, {@link Connection#noResponse}
 * or {@link Connection#close} must eventually be called for every request, from any thread: the
 * connection reads nothing more until then, which keeps responses in request order.
 */
@FunctionalInterface
public interface RequestDispatcher {
    void dispatch(NetworkRequest request);
}
