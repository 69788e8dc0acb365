/**
 * Leader epochs of a partition log: which leader epoch wrote which offsets.
 *
 * <ul>
 *   <li>{@link dev.tributary.log.epoch.LeaderEpochCache} — the rules (assign, OffsetForLeaderEpoch's
 *       {@code endOffsetFor}, truncation from either end); pure, in memory, behind
 *       {@link dev.tributary.log.epoch.EpochCheckpoint}.</li>
 *   <li>{@link dev.tributary.log.epoch.LeaderEpochCheckpointFile} — the {@code leader-epoch-checkpoint} file of a
 *       partition directory, in Kafka's text format, replaced atomically;
 *       {@link dev.tributary.log.epoch.CheckpointFormatException} when it is damaged.</li>
 *   <li>{@link dev.tributary.log.epoch.EpochEntry} and {@link dev.tributary.log.epoch.EpochEndOffset} — the
 *       value types.</li>
 * </ul>
 *
 * Who calls it (once wired): the log assigns the partition leader epoch of each appended batch, truncates the
 * cache with the log, and moves its start with retention; the broker answers OffsetForLeaderEpoch from
 * {@code endOffsetFor}; the follower's truncation is decided by {@code dev.tributary.broker.replication}.
 */
package dev.tributary.log.epoch;
