package dev.tributary.broker.cluster;

import dev.tributary.broker.cluster.ReplicaPlan.Follow;
import dev.tributary.broker.cluster.ReplicaPlan.IsrChanged;
import dev.tributary.broker.cluster.ReplicaPlan.Lead;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.replication.IsrProposal;
import dev.tributary.broker.replication.LeaderAndIsr;
import dev.tributary.broker.replication.ReplicaFetcher;
import dev.tributary.broker.replication.ReplicaFetchers;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.replication.ReplicationThrottle;
import dev.tributary.broker.replication.ThrottledReplicas;
import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.PartitionUpdated;
import dev.tributary.metadata.command.MetadataCommand.AlterPartition;
import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.Endpoint;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.TopicImage;
import dev.tributary.metadata.quorum.MetadataQuorum;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cluster node's replication at run time: turns {@link ReplicaPlan}'s actions into partition roles, runs the
 * replica fetchers of the partitions it follows, sends its leaders' ISR changes to the metadata quorum
 * (AlterPartition). Role changes arrive on the replica-change thread of
 * {@link LocalReplicas}; ISR proposals come from request handler and scheduler threads.
 */
public final class ClusterReplication implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterReplication.class);

    private final MetadataQuorum quorum;
    private final int self;
    private final PartitionManager partitions;
    private final Clock clock;
    private final long replicaLagTimeMaxMs;
    private final int defaultMinInsyncReplicas;
    private final ReplicaFetchers fetchers;

    public ClusterReplication(
            MetadataQuorum quorum,
            PartitionManager partitions,
            Clock clock,
            long replicaLagTimeMaxMs,
            int defaultMinInsyncReplicas,
            ReplicationThrottle throttle) {
        this.quorum = quorum;
        this.self = quorum.nodeId();
        this.partitions = partitions;
        this.clock = clock;
        this.replicaLagTimeMaxMs = replicaLagTimeMaxMs;
        this.defaultMinInsyncReplicas = defaultMinInsyncReplicas;
        this.fetchers = new ReplicaFetchers(
                self,
                this::addressOf,
                ReplicaFetcher.Settings.DEFAULTS,
                new ReplicaFetcher.Throttle(throttle.followerQuota(), this::inSync));
    }

    /** How often leaders look for followers to drop from the ISR. */
    public long shrinkCheckIntervalMs() {
        return Math.max(100, replicaLagTimeMaxMs / 2);
    }

    void lead(Partition p, Lead lead) {
        fetchers.unfollow(p.id());
        throttle(p, lead.configs());
        p.becomeLeader(self, lead.state(), config(lead.configs()), clock.millis(), this::propose);
        log.info(
                "Node {} leads {} at epoch {} (ISR {}, replicas {}, log end {})",
                self,
                p.id(),
                lead.state().leaderEpoch(),
                lead.state().isr(),
                lead.state().replicas(),
                p.logEndOffset());
    }

    void follow(Partition p, Follow follow) {
        fetchers.unfollow(p.id());
        throttle(p, follow.configs());
        p.becomeFollower(follow.leader(), follow.leaderEpoch());
        if (follow.leader() != LeaderAndIsr.NO_LEADER) {
            fetchers.follow(p, follow.leader(), follow.leaderEpoch());
        }
        log.info(
                "Node {} follows {} at epoch {} (leader {}, log end {})",
                self,
                p.id(),
                follow.leaderEpoch(),
                follow.leader() == LeaderAndIsr.NO_LEADER ? "none" : follow.leader(),
                p.logEndOffset());
    }

    void isrChanged(Partition p, IsrChanged change) {
        if (p.applyCommittedIsr(change.isr(), change.partitionEpoch())) {
            log.info("ISR of {} is now {} (partition epoch {})", p.id(), change.isr(), change.partitionEpoch());
        }
    }

    /** This node lost its session: {@code p} stops leading (writes get NOT_LEADER_OR_FOLLOWER) at its epoch. */
    void selfFence(Partition p) {
        p.becomeFollower(LeaderAndIsr.NO_LEADER, p.leaderEpoch());
        log.warn(
                "Node {} stopped leading {} (epoch {}): it lost its session with the quorum",
                self,
                p.id(),
                p.leaderEpoch());
    }

    /** A topic's configs changed: a leader applies its {@code min.insync.replicas} from now on. */
    void configsChanged(Partition p, Map<String, String> topicConfigs) {
        throttle(p, topicConfigs);
        ReplicationConfig config = config(topicConfigs);
        if (p.updateReplicationConfig(config)) {
            log.info("{} now needs {} in-sync replicas for acks=all", p.id(), config.minInsyncReplicas());
        }
    }

    void stop(PartitionId id) {
        fetchers.unfollow(id);
    }

    /** True if the committed ISR of {@code id} lists this node. */
    private boolean inSync(PartitionId id) {
        TopicImage topic = quorum.image().topic(id.topic());
        var state = topic == null ? null : topic.partition(id.partition());
        return state != null && state.isr().contains(self);
    }

    /** Marks this node's replica of {@code p} throttled or not, from its topic's throttled-replicas lists. */
    private void throttle(Partition p, Map<String, String> topicConfigs) {
        int partition = p.id().partition();
        boolean asLeader = throttled(ThrottledReplicas.LEADER_KEY, topicConfigs, partition);
        boolean asFollower = throttled(ThrottledReplicas.FOLLOWER_KEY, topicConfigs, partition);
        if (asLeader != p.isLeaderThrottled() || asFollower != p.isFollowerThrottled()) {
            log.info(
                    "Replication of {} on node {} throttled as leader: {}, as follower: {}",
                    p.id(),
                    self,
                    asLeader,
                    asFollower);
        }
        p.throttle(asLeader, asFollower);
    }

    private boolean throttled(String key, Map<String, String> topicConfigs, int partition) {
        try {
            return ThrottledReplicas.parse(key, topicConfigs.get(key)).contains(partition, self);
        } catch (RuntimeException e) {
            log.warn("Ignoring {}: {}", key, e.getMessage());
            return false;
        }
    }

    private ReplicationConfig config(Map<String, String> topicConfigs) {
        String min = topicConfigs.get("min.insync.replicas");
        int minIsr = defaultMinInsyncReplicas;
        if (min != null) {
            try {
                minIsr = Math.max(1, Integer.parseInt(min.trim()));
            } catch (NumberFormatException e) {
                log.warn("Ignoring min.insync.replicas={} of a topic: not a number", min);
            }
        }
        return new ReplicationConfig(replicaLagTimeMaxMs, minIsr);
    }

    /** Sends a leader's ISR change to the quorum; the answer (or the image change) applies it. */
    private void propose(PartitionId id, IsrProposal proposal) {
        TopicImage topic = quorum.image().topic(id.topic());
        Partition p = partitions.get(id);
        if (topic == null || p == null) {
            return;
        }
        AlterPartition cmd = new AlterPartition(
                id.topic(),
                topic.topicId(),
                id.partition(),
                proposal.leader(),
                proposal.leaderEpoch(),
                proposal.partitionEpoch(),
                new ArrayList<>(proposal.newIsr()));
        log.info(
                "Node {} proposes ISR {} for {} (partition epoch {})",
                self,
                proposal.newIsr(),
                id,
                proposal.partitionEpoch());
        quorum.client().submit(cmd).whenComplete((result, error) -> onAnswer(p, proposal, result, error));
    }

    private void onAnswer(Partition p, IsrProposal proposal, CommandResult result, Throwable error) {
        if (result instanceof PartitionUpdated updated) {
            p.applyCommittedIsr(
                    Set.copyOf(updated.state().isr()), updated.state().partitionEpoch());
            return;
        }
        log.info(
                "ISR change {} of {} not committed: {}",
                proposal.newIsr(),
                p.id(),
                error != null ? error.toString() : result);
        p.isrProposalRejected(clock.millis());
    }

    /** Every leader here proposes dropping followers that lag too long. */
    public void shrinkLaggingIsrs() {
        long now = clock.millis();
        for (Partition p : partitions.all()) {
            if (p.isLeader()) {
                try {
                    p.maybeShrinkIsr(now);
                } catch (RuntimeException e) {
                    log.warn("ISR check of {} failed", p.id(), e);
                }
            }
        }
    }

    private InetSocketAddress addressOf(int broker) {
        MetadataImage image = quorum.image();
        BrokerRegistration b = image.broker(broker);
        if (b == null || b.endpoints().isEmpty()) {
            return null;
        }
        Endpoint e = b.endpoints().get(0);
        return InetSocketAddress.createUnresolved(e.host(), e.port());
    }

    @Override
    public void close() {
        fetchers.close();
    }
}
