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
 *   <li>{@link dev.tributary.broker.group.GroupLoader} — reads {@code __consumer_offsets} back at start
 *       and rebuilds the groups ({@code GroupLoaderTest}).</li>
 *   <li>{@code GroupTable} — the groups these share, the lock over them, and the write lock that keeps
 *       store writes outside that lock and in log order.</li>
 *   <li>{@link dev.tributary.broker.group.Group}, {@link dev.tributary.broker.group.GroupMember} — the
 *       mutable state, and the decisions that only read it (protocol selection).</li>
 *   <li>{@link dev.tributary.broker.group.GroupStore} — what must survive a restart;
 *       {@link dev.tributary.broker.group.ConsumerOffsetsTopic} keeps it in the compacted internal topic
 *       {@code __consumer_offsets} (one partition).</li>
 *   <li>{@link dev.tributary.broker.group.ConsumerOffsetsRecords} — the versioned key and value layout of
 *       those records (our own format, documented in that class).</li>
 *   <li>{@link dev.tributary.broker.group.GroupService} — wiring into a broker: creates the topic,
 *       loads it, schedules {@code poll()} every 100 ms.</li>
 * </ul>
 * The Kafka wire side is {@code dev.tributary.broker.protocol.GroupApis}; nothing here imports
 * kafka-clients.
 *
 * <h2>Settings (Kafka's names)</h2>
 * {@code group.min.session.timeout.ms} (6000), {@code group.max.session.timeout.ms} (1800000),
 * {@code group.initial.rebalance.delay.ms} (3000), {@code group.max.size}, {@code offset.metadata.max.bytes}
 * (4096), {@code offsets.retention.minutes} (10080), {@code offsets.retention.check.interval.ms} (600000: how
 * often offsets of deleted topics are dropped).
 *
 * <h2>Not implemented</h2>
 * The KIP-848 consumer protocol (ConsumerGroupHeartbeat), share groups, transactional offset commits,
 * and topic ids in OffsetCommit/OffsetFetch v10. Static members are fenced and replaced, but a restarted
 * static member triggers a rebalance (Kafka avoids that one).
 */
package dev.tributary.broker.group;
