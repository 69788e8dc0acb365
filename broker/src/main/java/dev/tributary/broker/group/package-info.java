/**
 * Consumer groups (Kafka's classic protocol) and committed offsets.
 *
 * <h2>Who owns what</h2>
 * <ul>
 *   <li>{@link dev.tributary.broker.group.GroupCoordinator} — membership: JoinGroup / SyncGroup /
 *       Heartbeat / LeaveGroup, session and rebalance timeouts (fired from {@code poll()}), ListGroups /
 *       DescribeGroups / DeleteGroups. Pure logic on our own types with an injected clock; tested without a
 *       broker in {@code GroupCoordinatorTest}.</li>
 *   <li>{@code Rebalancer} — the transitions of the rebalance protocol (Empty, PreparingRebalance,
 *       CompletingRebalance, Stable, Dead) that the coordinator triggers.</li>
 *   <li>{@link dev.tributary.broker.group.OffsetManager} — OffsetCommit / OffsetFetch / OffsetDelete and
 *       the removal of expired offsets and offsets of deleted topics ({@code OffsetManagerTest}).</li>
 *   <li>{@link dev.tributary.broker.group.GroupLoader} — reads a {@code __consumer_offsets} partition back
 *       and rebuilds its groups ({@code GroupLoaderTest}).</li>
 *   <li>{@code GroupTable} — the groups these share, the lock over them, and the write lock that keeps
 *       store writes outside that lock and in log order.</li>
 *   <li>{@link dev.tributary.broker.group.Group}, {@link dev.tributary.broker.group.GroupMember} — the
 *       mutable state, and the decisions that only read it (protocol selection).</li>
 *   <li>{@link dev.tributary.broker.group.GroupStore} — what must survive a restart;
 *       {@link dev.tributary.broker.group.ConsumerOffsetsTopic} keeps it in a partition of the compacted
 *       internal topic {@code __consumer_offsets}; on a cluster node through {@code ReplicatedAppend}, which
 *       returns once the ISR has the batch ({@code acks=all}).</li>
 *   <li>{@link dev.tributary.broker.group.ConsumerOffsetsRecords} — the versioned key and value layout of
 *       those records (our own format, documented in that class).</li>
 *   <li>{@link dev.tributary.broker.group.GroupCoordinators} — one coordinator per {@code __consumer_offsets}
 *       partition this node serves, and the routing of a group's requests to the one owning it
 *       ({@link dev.tributary.broker.group.GroupPartitioner}: Kafka's {@code abs(hashCode) % partitions}), or
 *       their refusal with {@code NOT_COORDINATOR} / {@code COORDINATOR_LOAD_IN_PROGRESS}
 *       ({@code GroupCoordinatorsTest}, {@code GroupPartitionerTest}).</li>
 *   <li>{@link dev.tributary.broker.group.CoordinatorPartitions} — the pure load/unload bookkeeping: which
 *       partitions are loading or served, under which leader epoch ({@code CoordinatorPartitionsTest}).</li>
 *   <li>{@link dev.tributary.broker.group.OffsetsPartitionLoader} — on a cluster node, loads a partition's
 *       groups when this node becomes its leader and drops them when it stops leading, on one thread.</li>
 *   <li>{@link dev.tributary.broker.group.CoordinatorLocator} — FindCoordinator: this node on a single node;
 *       on a cluster node the leader of the group's partition ({@code cluster.OffsetsTopicLocator}, which also
 *       creates the topic through the metadata quorum).</li>
 *   <li>{@link dev.tributary.broker.group.GroupService} — wiring into a broker: on a single node creates the
 *       local topic (one partition) and loads it; on a cluster node installs the loader and the locator;
 *       schedules every served coordinator's {@code poll()} every 100 ms.</li>
 * </ul>
 *
 * <h2>Single node and cluster</h2>
 * A single node keeps {@code __consumer_offsets} for itself with one partition and coordinates every group, as
 * before clusters existed. On a cluster node the topic is a replicated cluster topic and a group's coordinator is
 * the leader of its partition; a committed offset is acknowledged only once the partition's ISR has it, so it
 * survives the leader's death, and the next leader serves it after loading the partition.
 * The Kafka wire side is {@code dev.tributary.broker.protocol.GroupApis}; nothing here imports
 * kafka-clients.
 *
 * <h2>Settings (Kafka's names)</h2>
 * {@code group.min.session.timeout.ms} (6000), {@code group.max.session.timeout.ms} (1800000),
 * {@code group.initial.rebalance.delay.ms} (3000), {@code group.max.size}, {@code offset.metadata.max.bytes}
 * (4096), {@code offsets.retention.minutes} (10080), {@code offsets.retention.check.interval.ms} (600000: how
 * often offsets of deleted topics are dropped); on cluster nodes {@code offsets.topic.num.partitions} (50),
 * {@code offsets.topic.replication.factor} (3; not lowered for a smaller cluster, as in Kafka) and
 * {@code offsets.commit.timeout.ms} (5000).
 *
 * <h2>Not implemented</h2>
 * The KIP-848 consumer protocol (ConsumerGroupHeartbeat), share groups, transactional offset commits,
 * and topic ids in OffsetCommit/OffsetFetch v10. Static members are fenced and replaced, but a restarted
 * static member triggers a rebalance (Kafka avoids that one).
 */
package dev.tributary.broker.group;
