package dev.tributary.broker.network;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener: an acceptor thread that hands new connections round-robin to the processors
 * ({@code num.network.threads}), which read frames for the request handlers ({@code num.io.threads}).
 */
public final class SocketServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SocketServer.class);

    /** Sizes and thread counts, with Kafka's names in {@code BrokerConfig}. */
    public record Settings(InetSocketAddress bind, int networkThreads, int ioThreads, int maxRequestBytes) {}

    private final ServerSocketChannel serverChannel;
    private final List<Processor> processors = new ArrayList<>();
    private final RequestChannel requestChannel;
    private final Thread acceptor;
    private volatile boolean running = true;

    public SocketServer(Settings settings, RequestDispatcher dispatcher) throws IOException {
        serverChannel = ServerSocketChannel.open();
        serverChannel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        serverChannel.bind(settings.bind(), 128);
        requestChannel = new RequestChannel(settings.ioThreads(), dispatcher);
        for (int i = 0; i < settings.networkThreads(); i++) {
            processors.add(new Processor(i, requestChannel, settings.maxRequestBytes()));
        }
        acceptor = new Thread(this::acceptLoop, "tributary-acceptor");
        acceptor.setDaemon(true);
    }

    public void start() {
        requestChannel.start();
        processors.forEach(Processor::start);
        acceptor.start();
    }

    /** The bound address, with the real port when bound to port 0. */
    public InetSocketAddress boundAddress() {
        try {
            return (InetSocketAddress) serverChannel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptLoop() {
        int next = 0;
        while (running) {
            try {
                SocketChannel channel = serverChannel.accept();
                processors.get(next).accept(channel);
                next = (next + 1) % processors.size();
            } catch (IOException e) {
                if (running) {
                    log.warn("Accept failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        serverChannel.close();
        try {
            acceptor.join(5000);
            for (Processor p : processors) {
                p.shutdown();
            }
            requestChannel.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
