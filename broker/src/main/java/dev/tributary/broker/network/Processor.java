package dev.tributary.broker.network;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network thread that owns a set of connections: it reads request frames, hands them to the
 * {@link RequestChannel}, and writes responses (heap buffers and zero-copy regions) back.
 *
 * <p>Handlers complete requests from their own threads by queueing a {@link Completion} and waking the
 * selector; all socket and selection-key state is touched only by this thread.
 */
final class Processor implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Processor.class);
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();

    private record Completion(Connection connection, ResponseSend send, String closeReason) {}

    private final int index;
    private final Selector selector;
    private final RequestChannel requests;
    private final int maxRequestBytes;
    private final RequestBufferPool buffers = RequestBufferPool.defaults();
    private final Queue<SocketChannel> newConnections = new ConcurrentLinkedQueue<>();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;
    private final Thread thread;

    Processor(int index, RequestChannel requests, int maxRequestBytes) throws IOException {
        this.index = index;
        this.selector = Selector.open();
        this.requests = requests;
        this.maxRequestBytes = maxRequestBytes;
        this.thread = new Thread(this, "tributary-network-" + index);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void accept(SocketChannel channel) {
        newConnections.add(channel);
        selector.wakeup();
    }

    void enqueue(Connection connection, ResponseSend send, String closeReason) {
        completions.add(new Completion(connection, send, closeReason));
        selector.wakeup();
    }

    void shutdown() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(5000);
    }

    @Override
    public void run() {
        try {
            while (running) {
                registerNewConnections();
                processCompletions();
                selector.select(500);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    Connection connection = (Connection) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    try {
                        if (key.isReadable()) {
                            ByteBuffer payload = connection.read();
                            if (payload != null) {
                                requests.submit(new NetworkRequest(connection, payload, System.nanoTime()));
                            }
                        } else if (key.isWritable()) {
                            connection.writeMore();
                        }
                    } catch (FrameException e) {
                        log.warn("Closing connection {}: {}", connection, e.getMessage());
                        connection.closeNow();
                    } catch (EOFException e) {
                        log.debug("Connection {} closed: {}", connection, e.getMessage());
                        connection.closeNow();
                    } catch (IOException | RuntimeException e) {
                        log.info("Closing connection {} after I/O error: {}", connection, e.toString());
                        connection.closeNow();
                    }
                }
            }
        } catch (IOException e) {
            log.error("Network thread {} failed", index, e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection c) {
                    c.closeNow();
                }
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // shutting down
            }
        }
    }

    private void registerNewConnections() {
        SocketChannel channel;
        while ((channel = newConnections.poll()) != null) {
            try {
                channel.configureBlocking(false);
                channel.socket().setTcpNoDelay(true);
                String id = "c" + CONNECTION_IDS.incrementAndGet();
                Connection connection = new Connection(id, channel, this, maxRequestBytes, buffers);
                connection.register(channel.register(selector, SelectionKey.OP_READ, connection));
            } catch (IOException e) {
                log.info("Could not register a new connection: {}", e.toString());
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // dropping it anyway
                }
            }
        }
    }

    private void processCompletions() {
        Completion c;
        while ((c = completions.poll()) != null) {
            Connection connection = c.connection();
            if (connection.isClosed()) {
                continue;
            }
            try {
                if (c.closeReason() != null) {
                    log.warn("Closing connection {}: {}", connection, c.closeReason());
                    connection.closeNow();
                } else if (c.send() == null) {
                    connection.resumeReading();
                } else {
                    connection.startSending(c.send());
                }
            } catch (IOException | RuntimeException e) {
                log.info("Closing connection {} after write error: {}", connection, e.toString());
                connection.closeNow();
            }
        }
    }
}
