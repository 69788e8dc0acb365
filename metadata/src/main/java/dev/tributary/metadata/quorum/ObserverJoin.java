package dev.tributary.metadata.quorum;

import java.io.IOException;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the voters to add this observer to the Raft group as a Ratis LISTENER: the leader then catches it up
 * (the log, or its latest snapshot when the log before it is purged) and from then on sends it every entry,
 * while it never votes and never counts towards a majority.
 *
 * <p>The request is Ratis' {@link SetConfigurationRequest.Mode#ADD}: the voters and the other listeners stay as
 * they are, and asking again once listed changes nothing, so every start of the observer asks. Until it is
 * listed it asks again with a growing pause (200 ms to 2 s): the quorum may have no leader yet, or another
 * reconfiguration may be under way (Ratis takes one at a time). One daemon thread, ended by {@link #close()}.
 */
final class ObserverJoin implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObserverJoin.class);
    private static final long FIRST_PAUSE_MS = 200;
    private static final long MAX_PAUSE_MS = 2000;

    private final RaftClient client;
    private final RaftPeer self;
    private volatile boolean joined;
    private final Thread thread;
    private volatile boolean closed;

    private ObserverJoin(RaftClient client, RaftPeer self) {
        this.client = client;
        this.self = self;
        this.thread = new Thread(this::run, "tributary-observer-join-" + self.getId());
        this.thread.setDaemon(true);
    }

    /** Starts asking on a thread of its own; {@code client} is closed with this. */
    static ObserverJoin start(RaftClient client, RaftPeer self) {
        ObserverJoin join = new ObserverJoin(client, self);
        join.thread.start();
        return join;
    }

    /** True once the leader has committed a configuration that lists this node as a listener. */
    boolean isJoined() {
        return joined;
    }

    private void run() {
        long pauseMs = FIRST_PAUSE_MS;
        SetConfigurationRequest.Arguments add = SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(List.of()) // ADD keeps the voters as they are
                .setListenersInNewConf(List.of(self))
                .setMode(SetConfigurationRequest.Mode.ADD)
                .build();
        while (!closed) {
            String problem;
            try {
                RaftClientReply reply = client.admin().setConfiguration(add);
                if (reply.isSuccess()) {
                    joined = true;
                    LOG.info(
                            "Node {} observes the metadata quorum as a Ratis listener at {}",
                            self.getId(),
                            self.getAddress());
                    return;
                }
                problem = String.valueOf(reply.getException());
            } catch (IOException | RuntimeException e) {
                problem = e.toString();
            }
            if (closed) {
                return;
            }
            LOG.info(
                    "Node {} is not yet a listener of the metadata quorum ({}); asking again in {} ms",
                    self.getId(),
                    problem,
                    pauseMs);
            try {
                Thread.sleep(pauseMs);
            } catch (InterruptedException e) {
                return;
            }
            pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
