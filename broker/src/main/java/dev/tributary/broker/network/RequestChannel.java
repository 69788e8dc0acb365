package dev.tributary.broker.network;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue between network threads and request-handler threads, plus the handler threads
 * themselves ({@code num.io.threads}). The queue needs no bound: each connection has at most one
 * request in it, because a connection is not read while its request is in flight.
 */
final class RequestChannel {
    private static final Logger log = LoggerFactory.getLogger(RequestChannel.class);
    private static final NetworkRequest POISON = new NetworkRequest(null, null, 0);

    private final BlockingQueue<NetworkRequest> queue = new LinkedBlockingQueue<>();
    private final List<Thread> handlers = new ArrayList<>();

    RequestChannel(int handlerThreads, RequestDispatcher dispatcher) {
        for (int i = 0; i < handlerThreads; i++) {
            Thread t = new Thread(() -> loop(dispatcher), "tributary-handler-" + i);
            t.setDaemon(true);
            handlers.add(t);
        }
    }

    void start() {
        handlers.forEach(Thread::start);
    }

    void submit(NetworkRequest request) {
        queue.add(request);
    }

    private void loop(RequestDispatcher dispatcher) {
        while (true) {
            NetworkRequest request;
            try {
                request = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (request == POISON) {
                return;
            }
            try {
                dispatcher.dispatch(request);
            } catch (RuntimeException | Error e) {
                log.error("Request handler failed on a request from {}; closing it", request.connection(), e);
                request.connection().close("request handler failed: " + e);
            }
        }
    }

    void shutdown() throws InterruptedException {
        for (int i = 0; i < handlers.size(); i++) {
            queue.add(POISON);
        }
        for (Thread t : handlers) {
            t.join(5000);
        }
    }
}
