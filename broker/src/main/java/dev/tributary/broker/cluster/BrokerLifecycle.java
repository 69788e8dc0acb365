package dev.tributary.broker.cluster;

import dev.tributary.broker.cluster.RegistrationState.Step;
import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.BrokersFenced;
import dev.tributary.metadata.command.CommandResult.Rejected;
import dev.tributary.metadata.command.MetadataCommand;
import dev.tributary.metadata.command.MetadataCommand.BrokerHeartbeat;
import dev.tributary.metadata.command.MetadataCommand.ExpireBrokerSessions;
import dev.tributary.metadata.command.MetadataCommand.FenceBroker;
import dev.tributary.metadata.command.MetadataCommand.RegisterBroker;
import dev.tributary.metadata.command.MetadataCommand.UnfenceBroker;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.quorum.MetadataQuorum;
import dev.tributary.metadata.quorum.QuorumUnavailableException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's membership: registers this broker with the metadata quorum under a fresh incarnation id,
 * unfences it, heartbeats, and registers again when the quorum no longer knows this incarnation (the rules are
 * {@link RegistrationState}'s). On the node that is the quorum leader it also fences brokers whose sessions
 * expired ({@link SessionExpiryPolicy}). {@link #close()} fences this broker, so the others stop listing it at
 * once instead of after a session timeout.
 *
 * <p>Threads: one for registration and heartbeats, one for session expiry; each blocks on the quorum for at
 * most one session timeout per command.
 */
public final class BrokerLifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerLifecycle.class);
    /** How long {@link #close()} waits for the quorum to take this broker's fencing. */
    static final Duration FENCE_ON_CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final MetadataQuorum quorum;
    private final int brokerId;
    private final UUID incarnationId = UUID.randomUUID();
    private final InetSocketAddress advertised;
    private final List<Endpoint> endpoints;
    private final LongSupplier clock;
    private final Duration commandTimeout;
    private final RegistrationState registration;
    private final SessionExpiryPolicy expiry;
    private final ScheduledExecutorService threads;
    private volatile boolean closed;
    private final long sessionTimeoutMs;
    private volatile SessionListener sessionListener = SessionListener.NONE;
    /** Whether this node acts as fenced because the quorum stopped accepting its heartbeats; on the session thread. */
    private volatile boolean sessionLost;

    /** Told when this node loses its session by its own clock, and when the quorum accepts it again. */
    public interface SessionListener {
        SessionListener NONE = new SessionListener() {
            @Override
            public void sessionLost() {}

            @Override
            public void sessionRegained() {}
        };

        void sessionLost();

        void sessionRegained();
    }

    private BrokerLifecycle(
            MetadataQuorum quorum,
            InetSocketAddress advertised,
            long heartbeatIntervalMs,
            long sessionTimeoutMs,
            LongSupplier clock) {
        this.quorum = quorum;
        this.brokerId = quorum.nodeId();
        this.advertised = advertised;
        this.endpoints =
                List.of(new Endpoint(ClusterView.KAFKA_LISTENER, advertised.getHostString(), advertised.getPort()));
        this.clock = clock;
        this.commandTimeout = Duration.ofMillis(sessionTimeoutMs);
        this.registration = new RegistrationState(heartbeatIntervalMs, clock.getAsLong());
        this.expiry = new SessionExpiryPolicy(sessionTimeoutMs, heartbeatIntervalMs);
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.threads = Executors.newScheduledThreadPool(3, r -> {
            Thread t = new Thread(r, "tributary-broker-lifecycle");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts registering {@code quorum}'s node as a broker reachable at {@code advertised}. Returns at once:
     * registration goes on in the background until the quorum has a leader.
     */
    public static BrokerLifecycle start(
            MetadataQuorum quorum, InetSocketAddress advertised, long heartbeatIntervalMs, long sessionTimeoutMs) {
        BrokerLifecycle lifecycle = new BrokerLifecycle(
                quorum, advertised, heartbeatIntervalMs, sessionTimeoutMs, System::currentTimeMillis);
        long tickMs = Math.max(10, Math.min(100, heartbeatIntervalMs / 4));
        lifecycle.threads.scheduleWithFixedDelay(lifecycle::registrationTick, 0, tickMs, TimeUnit.MILLISECONDS);
        lifecycle.threads.scheduleWithFixedDelay(lifecycle::expiryTick, tickMs, tickMs, TimeUnit.MILLISECONDS);
        lifecycle.threads.scheduleWithFixedDelay(lifecycle::sessionTick, tickMs, tickMs, TimeUnit.MILLISECONDS);
        log.info(
                "Broker {} joining the cluster as incarnation {} at {}",
                lifecycle.brokerId,
                lifecycle.incarnationId,
                lifecycle.endpoints.get(0));
        return lifecycle;
    }

    /**
     * What Metadata and DescribeCluster answer now, from this node's copy of the metadata; while it has lost its
     * session, {@link ClusterView#sessionLost}.
     */
    public ClusterView view() {
        if (sessionLost) {
            return ClusterView.sessionLost(quorum.image(), brokerId, advertised);
        }
        return ClusterView.of(quorum.image(), quorum.leaderId(), brokerId, advertised);
    }

    public RegistrationState.Status status() {
        synchronized (registration) {
            return registration.status();
        }
    }

    public UUID incarnationId() {
        return incarnationId;
    }

    private void registrationTick() {
        Step step;
        synchronized (registration) {
            if (closed || !registration.isDue(clock.getAsLong())) {
                return;
            }
            step = registration.step();
        }
        MetadataCommand command = switch (step) {
            case REGISTER -> new RegisterBroker(brokerId, incarnationId, endpoints, clock.getAsLong());
            case UNFENCE -> new UnfenceBroker(brokerId, incarnationId, clock.getAsLong());
            case HEARTBEAT -> new BrokerHeartbeat(brokerId, incarnationId, clock.getAsLong());
        };
        CommandResult result;
        try {
            result = quorum.client().submitAndWait(command, commandTimeout);
        } catch (QuorumUnavailableException e) {
            log.debug("The metadata quorum did not take broker {}'s {}: {}", brokerId, step, e.getMessage());
            synchronized (registration) {
                registration.unanswered(step, clock.getAsLong());
            }
            return;
        } catch (RuntimeException e) {
            log.warn("Broker {}'s {} failed; retrying", brokerId, step, e);
            synchronized (registration) {
                registration.unanswered(step, clock.getAsLong());
            }
            return;
        }
        RegistrationState.Status before;
        RegistrationState.Status after;
        synchronized (registration) {
            before = registration.status();
            registration.answered(step, result, clock.getAsLong());
            after = registration.status();
        }
        if (result instanceof Rejected r) {
            log.warn("The metadata quorum refused broker {}'s {}: {} {}", brokerId, step, r.error(), r.message());
        }
        if (before != after) {
            log.info("Broker {} (incarnation {}) is now {}", brokerId, incarnationId, after);
        }
    }

    /** Sets who is told when this node loses and regains its session (one listener). */
    public void sessionListener(SessionListener listener) {
        this.sessionListener = listener;
    }

    /**
     * Fences this node by itself when the quorum has accepted none of its heartbeats for a whole session (it is cut
     * off from the quorum, or the quorum has no leader): the quorum has fenced it, or will, so its leaderships may
     * already belong to others. Ends when a heartbeat is accepted again.
     */
    private void sessionTick() {
        if (closed) {
            return;
        }
        boolean lost;
        boolean active;
        synchronized (registration) {
            lost = registration.hasLostSession(clock.getAsLong(), sessionTimeoutMs);
            active = registration.status() == RegistrationState.Status.ACTIVE;
        }
        // lost: as soon as the session runs out; regained: only once the quorum has this broker active again
        boolean next = sessionLost ? !(active && !lost) : lost;
        if (next == sessionLost) {
            return;
        }
        sessionLost = next;
        if (next) {
            log.warn(
                    "Broker {} has had no heartbeat accepted by the metadata quorum for more than {} ms: "
                            + "it fences itself and leads no partition until the quorum accepts it again",
                    brokerId,
                    sessionTimeoutMs);
            sessionListener.sessionLost();
        } else {
            log.info("Broker {}'s heartbeats are accepted again: it acts on the metadata as it is now", brokerId);
            sessionListener.sessionRegained();
        }
    }

    /** Whether this node's image shows an unfenced broker whose last heartbeat is older than the session. */
    private boolean overdue(long nowMs) {
        for (var b : quorum.image().brokers().values()) {
            if (!b.fenced() && nowMs - b.lastHeartbeatMs() > sessionTimeoutMs) {
                return true;
            }
        }
        return false;
    }

    private void expiryTick() {
        if (closed) {
            return;
        }
        long now = clock.getAsLong();
        if (!expiry.shouldExpire(quorum.isLeader(), quorum.term(), now, overdue(now))) {
            return;
        }
        try {
            CommandResult result = quorum.client()
                    .submitAndWait(
                            new ExpireBrokerSessions(expiry.sessionTimeoutMs(), clock.getAsLong()), commandTimeout);
            if (result instanceof BrokersFenced f && !f.brokerIds().isEmpty()) {
                log.info(
                        "Fenced brokers {}: no heartbeat for more than {} ms",
                        f.brokerIds(),
                        expiry.sessionTimeoutMs());
            }
        } catch (RuntimeException e) {
            log.debug("Session expiry did not commit: {}", e.getMessage());
        }
    }

    /** Stops heartbeating and fences this broker (waiting at most {@link #FENCE_ON_CLOSE_TIMEOUT}). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        threads.shutdownNow();
        try {
            threads.awaitTermination(FENCE_ON_CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (status() == RegistrationState.Status.NOT_REGISTERED) {
            return;
        }
        try {
            quorum.client().submitAndWait(new FenceBroker(brokerId), FENCE_ON_CLOSE_TIMEOUT);
            log.info("Broker {} fenced itself before stopping", brokerId);
        } catch (RuntimeException e) {
            log.warn("Broker {} could not fence itself before stopping: {}", brokerId, e.getMessage());
        }
    }
}
