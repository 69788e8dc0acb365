/**
 * Replication of a partition between brokers, the Kafka way (ISR over Fetch).
 *
 * <p>The rules, pure and tested without a broker:
 * <ul>
 *   <li>{@link dev.tributary.broker.replication.PartitionReplicationState} — a leader's followers, ISR (committed
 *       and pending, "maximal ISR"), high watermark and {@code acks=all} outcome
 *       ({@link dev.tributary.broker.replication.AckStatus}); ISR changes as
 *       {@link dev.tributary.broker.replication.IsrProposal}s that count only once the quorum commits them.</li>
 *   <li>{@link dev.tributary.broker.replication.ReplicaState} — one follower as its leader sees it, and the
 *       caught-up rule behind {@code replica.lag.time.max.ms}.</li>
 *   <li>{@link dev.tributary.broker.replication.TruncationPlanner} — where a follower truncates, from its
 *       leader-epoch cache ({@code dev.tributary.log.epoch}) and the leader's OffsetForLeaderEpoch answer.</li>
 *   <li>{@link dev.tributary.broker.replication.LeaderElection} — the election rules as the replication
 *       simulation uses them (the cluster's elections are the metadata quorum's).</li>
 * </ul>
 *
 * <p>The run-time parts:
 * <ul>
 *   <li>{@link dev.tributary.broker.replication.ReplicaFetcher} and
 *       {@link dev.tributary.broker.replication.ReplicaFetchers} — a follower's fetch loop per leader, with
 *       truncation first ({@code protocol.ReplicaFetchClient} on the wire).</li>
 *   <li>{@link dev.tributary.broker.replication.AckWaiters} — {@code acks=all} produces waiting for the high
 *       watermark.</li>
 *   <li>{@link dev.tributary.broker.replication.EpochLookup} — the leader's side of OffsetForLeaderEpoch
 *       ({@code protocol.OffsetForLeaderEpochApi}).</li>
 * </ul>
 * The roles themselves live on {@code partition.Partition}; {@code cluster.ClusterReplication} turns metadata
 * changes into them.
 */
package dev.tributary.broker.replication;
