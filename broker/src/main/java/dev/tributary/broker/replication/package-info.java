/**
 * Replication of a partition between brokers, the Kafka way (ISR over Fetch): the rules, pure and tested without
 * a broker. The wiring (Partition, the follower fetcher, the OffsetForLeaderEpoch API) calls them.
 *
 * <ul>
 *   <li>{@link dev.tributary.broker.replication.PartitionReplicationState} — a leader's followers, ISR (committed
 *       and pending, "maximal ISR"), high watermark and {@code acks=all} outcome
 *       ({@link dev.tributary.broker.replication.AckStatus}); ISR changes as
 *       {@link dev.tributary.broker.replication.IsrProposal}s that count only once the quorum commits them.</li>
 *   <li>{@link dev.tributary.broker.replication.ReplicaState} — one follower as its leader sees it, and the
 *       caught-up rule behind {@code replica.lag.time.max.ms}.</li>
 *   <li>{@link dev.tributary.broker.replication.LeaderElection} — clean, unclean and preferred leader choice.</li>
 *   <li>{@link dev.tributary.broker.replication.TruncationPlanner} — where a follower truncates, from its
 *       leader-epoch cache ({@code dev.tributary.log.epoch}) and the leader's OffsetForLeaderEpoch answer.</li>
 *   <li>{@link dev.tributary.broker.replication.EpochLookup} — the leader's side of OffsetForLeaderEpoch (the API
 *       is {@code protocol.OffsetForLeaderEpochApi}; a follower asks with {@code protocol.ReplicaFetchClient});
 *       {@link dev.tributary.broker.replication.LogEndEpochLookup} answers for logs without epoch history.</li>
 *   <li>{@link dev.tributary.broker.replication.LeaderAndIsr}, {@link dev.tributary.broker.replication.ReplicationConfig}
 *       — the inputs: committed partition state and the settings, under Kafka's names.</li>
 * </ul>
 */
package dev.tributary.broker.replication;
