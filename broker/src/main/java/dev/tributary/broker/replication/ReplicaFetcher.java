package dev.tributary.broker.replication;

import dev.tributary.broker.errors.FencedLeaderEpochException;
import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.errors.ReplicaFetchException;
import dev.tributary.broker.errors.UnknownLeaderEpochException;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.protocol.ReplicaFetchClient;
import dev.tributary.broker.protocol.ReplicaFetchClient.EpochAnswer;
import dev.tributary.broker.protocol.ReplicaFetchClient.EpochQuery;
import dev.tributary.broker.protocol.ReplicaFetchClient.FetchPosition;
import dev.tributary.broker.protocol.ReplicaFetchClient.Fetched;
import dev.tributary.broker.replication.TruncationPlanner.TruncationPlan;
import dev.tributary.log.OffsetOutOfRangeException;
import dev.tributary.log.epoch.LeaderEpochCache;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that keeps this node's follower replicas of one leader's partitions up to date: Kafka's replica
 * fetcher. Each partition it is given first goes through truncation (OffsetForLeaderEpoch, then
 * {@link TruncationPlanner}), so no record the leader does not have stays; then it is fetched from its log end
 * with this node's replica id, and each answer is appended with the leader's offsets and epochs.
 *
 * <p>Errors are per partition and never stop the thread: a fenced or unknown epoch or a lost leadership waits
 * for the metadata to tell this node who leads now; a position outside the leader's log truncates again or, below
 * the leader's log start, starts the replica over there; a broken connection is retried after a pause.
 */
public final class ReplicaFetcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReplicaFetcher.class);
    private static final long BACKOFF_MS = 200;

    private final int self;
    private final int leader;
    private final Supplier<InetSocketAddress> leaderAddress;
    private final Settings settings;
    private final Throttle throttle;
    private final Map<PartitionId, Followed> partitions = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private ReplicaFetchClient client;
    private InetSocketAddress connectedTo;

    /** How a fetcher fetches (Kafka's {@code replica.fetch.*} settings). */
    public record Settings(int maxWaitMs, int maxBytes, int partitionMaxBytes, Duration requestTimeout) {
        public static final Settings DEFAULTS =
                new Settings(500, 10 * 1024 * 1024, 1024 * 1024, Duration.ofSeconds(30));
    }

    /**
     * The follower side of the replication throttle: a replica marked throttled ({@link Partition#isFollowerThrottled})
     * and out of the ISR is left out of the fetch while {@code quota} is exceeded, and what it fetches counts
     * against the quota.
     */
    public record Throttle(ReplicationQuota quota, java.util.function.Predicate<PartitionId> inSync) {
        public static final Throttle NONE = new Throttle(new ReplicationQuota(Long.MAX_VALUE), id -> true);

        boolean applies(Partition p) {
            return p.isFollowerThrottled() && !inSync.test(p.id());
        }
    }

    /** A partition this fetcher follows under one leader epoch. */
    private static final class Followed {
        final Partition partition;
        final int leaderEpoch;
        volatile boolean truncated;

        Followed(Partition partition, int leaderEpoch) {
            this.partition = partition;
            this.leaderEpoch = leaderEpoch;
        }
    }

    public ReplicaFetcher(int self, int leader, Supplier<InetSocketAddress> leaderAddress, Settings settings) {
        this(self, leader, leaderAddress, settings, Throttle.NONE);
    }

    public ReplicaFetcher(
            int self, int leader, Supplier<InetSocketAddress> leaderAddress, Settings settings, Throttle throttle) {
        this.self = self;
        this.leader = leader;
        this.leaderAddress = leaderAddress;
        this.settings = settings;
        this.throttle = throttle;
        this.thread = new Thread(this::run, "tributary-replica-fetcher-" + leader);
        thread.setDaemon(true);
        thread.start();
    }

    public int leader() {
        return leader;
    }

    /** Starts following {@code partition} under {@code leaderEpoch} (truncating first). */
    public void add(Partition partition, int leaderEpoch) {
        partitions.put(partition.id(), new Followed(partition, leaderEpoch));
        synchronized (this) {
            notifyAll();
        }
    }

    /** Stops following {@code id}; returns whether it was followed here. */
    public boolean remove(PartitionId id) {
        return partitions.remove(id) != null;
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    private void run() {
        while (running) {
            try {
                if (partitions.isEmpty()) {
                    synchronized (this) {
                        wait(100);
                    }
                    continue;
                }
                ReplicaFetchClient c = connect();
                if (c == null) {
                    pause();
                    continue;
                }
                truncate(c);
                fetch(c);
            } catch (InterruptedException e) {
                return;
            } catch (ReplicaFetchException e) {
                if (running) {
                    log.debug("Node {} could not fetch from leader {}: {}", self, leader, e.getMessage());
                    disconnect();
                    pauseQuietly();
                }
            } catch (RuntimeException e) {
                if (running) {
                    log.warn("Node {}: replica fetcher for leader {} failed; retrying", self, leader, e);
                    disconnect();
                    pauseQuietly();
                }
            }
        }
        disconnect();
    }

    private ReplicaFetchClient connect() {
        InetSocketAddress address = leaderAddress.get();
        if (address == null) {
            return null;
        }
        if (client == null || !address.equals(connectedTo)) {
            disconnect();
            client = new ReplicaFetchClient(
                    address.getHostString(),
                    address.getPort(),
                    self,
                    "tributary-replica-" + self,
                    settings.requestTimeout());
            connectedTo = address;
        }
        return client;
    }

    private void disconnect() {
        if (client != null) {
            try {
                client.close();
            } catch (Exception e) {
                // closing anyway
            }
            client = null;
        }
    }

    /** Brings every partition that needs it to a point its leader agrees with. */
    private void truncate(ReplicaFetchClient c) {
        List<EpochQuery> queries = new ArrayList<>();
        for (Followed f : partitions.values()) {
            if (f.truncated) {
                continue;
            }
            LeaderEpochCache cache = f.partition.log().leaderEpochCache();
            OptionalInt latest = TruncationPlanner.epochToRequest(cache);
            if (latest.isEmpty()) {
                Partition p = f.partition;
                TruncationPlan plan = TruncationPlanner.withoutEpochs(p.highWatermark(), p.logEndOffset());
                apply(f, plan);
                continue;
            }
            queries.add(new EpochQuery(f.partition.id(), f.leaderEpoch, latest.getAsInt()));
        }
        if (queries.isEmpty()) {
            return;
        }
        for (EpochAnswer a : c.offsetsForLeaderEpoch(queries)) {
            Followed f = partitions.get(a.id());
            if (f == null) {
                continue;
            }
            if (a.error() != null) {
                log.debug(
                        "Node {}: OffsetForLeaderEpoch of {} from leader {} failed: {}",
                        self,
                        a.id(),
                        leader,
                        a.error().toString());
                continue;
            }
            Partition p = f.partition;
            TruncationPlan plan =
                    TruncationPlanner.plan(p.log().leaderEpochCache(), p.logEndOffset(), p.highWatermark(), a.answer());
            apply(f, plan);
        }
    }

    private void apply(Followed f, TruncationPlan plan) {
        Partition p = f.partition;
        if (partitions.get(p.id()) != f) {
            return; // replaced or removed meanwhile
        }
        long before = p.logEndOffset();
        p.truncateTo(plan.truncateTo());
        if (p.logEndOffset() < before) {
            log.info(
                    "Node {} truncated its replica of {} from {} to {} to match leader {} (epoch {})",
                    self,
                    p.id(),
                    before,
                    p.logEndOffset(),
                    leader,
                    f.leaderEpoch);
        }
        f.truncated = plan.complete();
    }

    private void fetch(ReplicaFetchClient c) throws InterruptedException {
        List<FetchPosition> positions = new ArrayList<>();
        long now = System.currentTimeMillis();
        boolean quotaExceeded = throttle.quota().isExceeded(now);
        for (Followed f : partitions.values()) {
            if (f.truncated) {
                Partition p = f.partition;
                if (quotaExceeded && throttle.applies(p)) {
                    continue; // the follower throttle holds this replica back for now
                }
                positions.add(new FetchPosition(
                        p.id(), p.logEndOffset(), f.leaderEpoch, p.logStartOffset(), settings.partitionMaxBytes()));
            }
        }
        if (positions.isEmpty()) {
            pause();
            return;
        }
        boolean backOff = false;
        for (Fetched r : c.fetch(settings.maxWaitMs(), 1, settings.maxBytes(), positions)) {
            Followed f = partitions.get(r.id());
            if (f == null || !f.truncated) {
                continue;
            }
            Partition p = f.partition;
            RuntimeException error = r.error();
            if (error == null) {
                try {
                    if (r.records().remaining() > 0 && throttle.applies(p)) {
                        throttle.quota().record(r.records().remaining(), System.currentTimeMillis());
                    }
                    p.appendAsFollower(r.records(), r.highWatermark(), f.leaderEpoch);
                } catch (NotLeaderOrFollowerException e) {
                    partitions.remove(r.id(), f); // this node leads it now, or stopped following it
                } catch (RuntimeException e) {
                    log.warn(
                            "Node {}: appending {} bytes fetched from leader {} to {} failed; truncating again",
                            self,
                            r.records().remaining(),
                            leader,
                            p.id(),
                            e);
                    f.truncated = false;
                }
            } else if (error instanceof OffsetOutOfRangeException) {
                if (p.logEndOffset() < r.logStartOffset()) {
                    log.info(
                            "Node {}: replica of {} ends at {}, below leader {}'s log start {}; starting over there",
                            self,
                            p.id(),
                            p.logEndOffset(),
                            leader,
                            r.logStartOffset());
                    p.truncateFullyAndStartAt(r.logStartOffset());
                } else {
                    f.truncated = false;
                }
            } else if (error instanceof FencedLeaderEpochException
                    || error instanceof UnknownLeaderEpochException
                    || error instanceof NotLeaderOrFollowerException) {
                backOff = true; // the metadata will say who leads under which epoch
            } else {
                log.debug("Node {}: fetch of {} from leader {} failed: {}", self, p.id(), leader, error.toString());
                backOff = true;
            }
        }
        if (backOff) {
            pause();
        }
    }

    private void pause() throws InterruptedException {
        Thread.sleep(BACKOFF_MS);
    }

    private void pauseQuietly() {
        try {
            pause();
        } catch (InterruptedException e) {
            running = false;
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
