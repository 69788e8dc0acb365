package dev.tributary.broker.replication;

import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * This node's replica fetchers, one per leader it follows partitions of. A partition is fetched by at most one
 * fetcher at a time; following a new leader moves it. Called from one thread (the node's replica-change thread).
 */
public final class ReplicaFetchers implements AutoCloseable {
    private final int self;
    private final IntFunction<InetSocketAddress> addressOf;
    private final ReplicaFetcher.Settings settings;
    private final ReplicaFetcher.Throttle throttle;
    private final Map<Integer, ReplicaFetcher> byLeader = new HashMap<>();
    private final Map<PartitionId, Integer> leaderOf = new HashMap<>();

    /** @param addressOf a broker's Kafka address from the current metadata, or null if it is unknown */
    public ReplicaFetchers(int self, IntFunction<InetSocketAddress> addressOf, ReplicaFetcher.Settings settings) {
        this(self, addressOf, settings, ReplicaFetcher.Throttle.NONE);
    }

    public ReplicaFetchers(
            int self,
            IntFunction<InetSocketAddress> addressOf,
            ReplicaFetcher.Settings settings,
            ReplicaFetcher.Throttle throttle) {
        this.self = self;
        this.addressOf = addressOf;
        this.settings = settings;
        this.throttle = throttle;
    }

    /** Follows {@code partition}'s leader {@code leader} under {@code leaderEpoch}, truncating first. */
    public synchronized void follow(Partition partition, int leader, int leaderEpoch) {
        unfollow(partition.id());
        ReplicaFetcher f = byLeader.computeIfAbsent(
                leader, id -> new ReplicaFetcher(self, id, () -> addressOf.apply(id), settings, throttle));
        f.add(partition, leaderEpoch);
        leaderOf.put(partition.id(), leader);
    }

    /** Stops fetching {@code id} (it is led here now, has no leader, or was stopped). */
    public synchronized void unfollow(PartitionId id) {
        Integer leader = leaderOf.remove(id);
        if (leader == null) {
            return;
        }
        ReplicaFetcher f = byLeader.get(leader);
        if (f != null) {
            f.remove(id);
            if (f.isEmpty()) {
                byLeader.remove(leader);
                f.close();
            }
        }
    }

    /** Number of partitions followed (for tools and tests). */
    public synchronized int followed() {
        return leaderOf.size();
    }

    @Override
    public synchronized void close() {
        byLeader.values().forEach(ReplicaFetcher::close);
        byLeader.clear();
        leaderOf.clear();
    }
}
