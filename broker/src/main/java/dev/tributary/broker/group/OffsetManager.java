package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Committed offsets of every group: OffsetCommit, OffsetFetch, OffsetDelete, and the removal of offsets that
 * expired or whose topic is gone. The offsets live in each {@link Group} of the shared {@link GroupTable};
 * membership is the {@link GroupCoordinator}'s, and a commit only reads it (is the member and its generation
 * current?) and renews the member's session.
 *
 * <p>Every change is written to the {@link GroupStore} before it is visible to OffsetFetch, outside the
 * table's lock (see {@link GroupTable} for the plan / write / apply order). A failed write leaves memory as
 * it was and answers COORDINATOR_NOT_AVAILABLE, which clients retry.
 */
public final class OffsetManager {

    private static final Logger LOG = LoggerFactory.getLogger(OffsetManager.class);

    private final GroupConfig config;
    private final Clock clock;
    private final GroupTable table;

    OffsetManager(GroupConfig config, Clock clock, GroupTable table) {
        this.config = config;
        this.clock = clock;
        this.table = table;
    }

    /** The outcome of OffsetDelete: a request-level error, else one per partition. */
    public record OffsetDeleteResult(GroupError error, Map<PartitionId, GroupError> partitions) {}

    /**
     * Handles OffsetCommit. A commit with generation -1 and no member id is a "simple" commit from a
     * consumer that assigns partitions itself (Flink, Spark); it is allowed while the group has no
     * members, and creates the group if needed.
     *
     * @return the outcome per partition
     */
    public Map<PartitionId, GroupError> commit(
            String groupId,
            String memberId,
            String groupInstanceId,
            int generationId,
            Map<PartitionId, CommittedOffset> offsets) {
        Map<PartitionId, GroupError> result = new LinkedHashMap<>();
        Map<PartitionId, CommittedOffset> accepted = new LinkedHashMap<>();
        synchronized (table.writeLock) {
            long now;
            synchronized (table.lock) {
                now = clock.millis();
                GroupError error = checkCommit(groupId, memberId, groupInstanceId, generationId, now);
                if (error != GroupError.NONE) {
                    offsets.keySet().forEach(tp -> result.put(tp, error));
                    return result;
                }
            }
            for (Map.Entry<PartitionId, CommittedOffset> e : offsets.entrySet()) {
                CommittedOffset o = e.getValue();
                if (o.metadata().length() > config.offsetMetadataMaxBytes()) {
                    result.put(e.getKey(), GroupError.OFFSET_METADATA_TOO_LARGE);
                } else {
                    accepted.put(e.getKey(), new CommittedOffset(o.offset(), o.leaderEpoch(), o.metadata(), now));
                    result.put(e.getKey(), GroupError.NONE);
                }
            }
            if (accepted.isEmpty()) {
                return result;
            }
            try {
                table.store.storeOffsets(groupId, accepted);
            } catch (IOException | RuntimeException e) {
                LOG.error("Could not persist offsets of group {}", groupId, e);
                accepted.keySet().forEach(tp -> result.put(tp, GroupError.COORDINATOR_NOT_AVAILABLE));
                return result;
            }
            synchronized (table.lock) {
                table.groups
                        .computeIfAbsent(groupId, id -> new Group(id, now))
                        .offsets
                        .putAll(accepted);
            }
        }
        return result;
    }

    private GroupError checkCommit(String groupId, String memberId, String instanceId, int generationId, long now) {
        if (groupId == null || groupId.isEmpty()) {
            return GroupError.INVALID_GROUP_ID;
        }
        Group g = table.groups.get(groupId);
        if (g == null) {
            return generationId < 0 ? GroupError.NONE : GroupError.ILLEGAL_GENERATION;
        }
        if (g.is(GroupState.DEAD)) {
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        }
        GroupMember byInstance = g.memberByInstanceId(instanceId);
        if (byInstance != null && !byInstance.memberId.equals(memberId)) {
            return GroupError.FENCED_INSTANCE_ID;
        }
        if (generationId < 0 && g.is(GroupState.EMPTY)) {
            return GroupError.NONE;
        }
        GroupMember m = g.members.get(memberId);
        if (m == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (generationId != g.generationId) {
            return GroupError.ILLEGAL_GENERATION;
        }
        if (g.is(GroupState.COMPLETING_REBALANCE)) {
            return GroupError.REBALANCE_IN_PROGRESS;
        }
        m.heartbeatDeadline = now + m.sessionTimeoutMs;
        return GroupError.NONE;
    }

    /**
     * Handles OffsetFetch.
     *
     * @param partitions the partitions asked for, or null for all the group has
     * @return the committed offsets; partitions without one are absent
     */
    public Map<PartitionId, CommittedOffset> fetch(String groupId, Collection<PartitionId> partitions) {
        Map<PartitionId, CommittedOffset> result = new LinkedHashMap<>();
        synchronized (table.lock) {
            Group g = table.groups.get(groupId);
            if (g == null) {
                return result;
            }
            if (partitions == null) {
                result.putAll(g.offsets);
            } else {
                for (PartitionId tp : partitions) {
                    CommittedOffset o = g.offsets.get(tp);
                    if (o != null) {
                        result.put(tp, o);
                    }
                }
            }
            return result;
        }
    }

    /**
     * Handles OffsetDelete: removes committed offsets, except those of topics a member of the group is
     * still subscribed to (GROUP_SUBSCRIBED_TO_TOPIC), as Kafka does.
     */
    public OffsetDeleteResult delete(String groupId, Collection<PartitionId> partitions) {
        Map<PartitionId, GroupError> result = new LinkedHashMap<>();
        List<PartitionId> removable = new ArrayList<>();
        synchronized (table.writeLock) {
            synchronized (table.lock) {
                Group g = table.groups.get(groupId);
                if (g == null || g.is(GroupState.DEAD)) {
                    return new OffsetDeleteResult(GroupError.GROUP_ID_NOT_FOUND, Map.of());
                }
                Set<String> subscribed = subscribedTopics(g);
                for (PartitionId tp : partitions) {
                    if (subscribed == null || subscribed.contains(tp.topic())) {
                        result.put(tp, GroupError.GROUP_SUBSCRIBED_TO_TOPIC);
                    } else {
                        result.put(tp, GroupError.NONE);
                        if (g.offsets.containsKey(tp)) {
                            removable.add(tp);
                        }
                    }
                }
            }
            if (!removable.isEmpty() && !write(groupId, removable, "delete offsets")) {
                return new OffsetDeleteResult(GroupError.COORDINATOR_NOT_AVAILABLE, Map.of());
            }
            remove(groupId, removable);
        }
        return new OffsetDeleteResult(GroupError.NONE, result);
    }

    /** @return the topics the group's members subscribe to, or null when that may be every topic */
    private static Set<String> subscribedTopics(Group g) {
        Set<String> subscribed = new HashSet<>();
        if ("consumer".equals(g.protocolType) && g.protocolName != null) {
            for (GroupMember m : g.members.values()) {
                Set<String> topics = ConsumerSubscription.topics(m.metadata(g.protocolName));
                if (topics == null) {
                    return null;
                }
                subscribed.addAll(topics);
            }
        } else if (!g.members.isEmpty()) {
            return null; // a non-consumer protocol we cannot read: assume it uses every topic
        }
        return subscribed;
    }

    /**
     * Removes the offsets of groups that have been empty for {@code offsets.retention.minutes} and were
     * committed at least that long ago; a group left with no offsets is removed altogether. Called by
     * {@link GroupCoordinator#poll()} with no lock held.
     */
    void expire() {
        Map<Group, List<PartitionId>> emptied = new LinkedHashMap<>();
        Map<Group, List<PartitionId>> trimmed = new LinkedHashMap<>();
        long now;
        synchronized (table.writeLock) {
            synchronized (table.lock) {
                now = clock.millis();
                for (Group g : table.groups.values()) {
                    if (!g.is(GroupState.EMPTY) || now - g.stateTimestamp < config.offsetsRetentionMs()) {
                        continue;
                    }
                    List<PartitionId> old = new ArrayList<>();
                    g.offsets.forEach((tp, o) -> {
                        if (now - o.commitTimestamp() >= config.offsetsRetentionMs()) {
                            old.add(tp);
                        }
                    });
                    if (old.size() == g.offsets.size()) {
                        // Closed to joins and commits until the tombstones are written.
                        g.state = GroupState.DEAD;
                        emptied.put(g, old);
                    } else if (!old.isEmpty()) {
                        trimmed.put(g, old);
                    }
                }
            }
            emptied.forEach((g, old) -> {
                if (removeGroup(g, old)) {
                    LOG.info("Group {} removed: empty and its offsets expired", g.groupId);
                }
            });
            trimmed.forEach((g, old) -> {
                if (write(g.groupId, old, "expire offsets")) {
                    remove(g.groupId, old);
                }
            });
        }
    }

    /**
     * Writes the tombstones of a group its caller marked Dead, with its offsets, and removes it from the table;
     * on failure the group is reopened, Empty as before. Call holding the write lock only.
     *
     * @return true when the group is gone
     */
    boolean removeGroup(Group g, List<PartitionId> offsets) {
        try {
            table.store.deleteGroup(g.groupId, offsets);
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not persist the removal of group {}", g.groupId, e);
            synchronized (table.lock) {
                g.state = GroupState.EMPTY;
            }
            return false;
        }
        synchronized (table.lock) {
            table.groups.remove(g.groupId);
        }
        return true;
    }

    /**
     * Deletes committed offsets of topics that no longer exist (Kafka drops them when a topic is
     * deleted). Called from the broker's scheduler.
     *
     * @return how many offsets were removed
     */
    public int removeOffsetsOfDeletedTopics(Predicate<String> topicExists) {
        int removed = 0;
        synchronized (table.writeLock) {
            Map<String, List<PartitionId>> gone = new LinkedHashMap<>();
            synchronized (table.lock) {
                Map<String, Boolean> exists = new HashMap<>();
                for (Group g : table.groups.values()) {
                    for (PartitionId tp : g.offsets.keySet()) {
                        if (!exists.computeIfAbsent(tp.topic(), topicExists::test)) {
                            gone.computeIfAbsent(g.groupId, id -> new ArrayList<>())
                                    .add(tp);
                        }
                    }
                }
            }
            for (Map.Entry<String, List<PartitionId>> e : gone.entrySet()) {
                if (write(e.getKey(), e.getValue(), "remove offsets of deleted topics")) {
                    remove(e.getKey(), e.getValue());
                    removed += e.getValue().size();
                    LOG.info(
                            "Removed {} committed offsets of deleted topics from group {}",
                            e.getValue().size(),
                            e.getKey());
                }
            }
        }
        return removed;
    }

    /** Writes offset tombstones; call holding the write lock only. */
    private boolean write(String groupId, List<PartitionId> partitions, String what) {
        try {
            table.store.deleteOffsets(groupId, partitions);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.error("Could not {} of group {}", what, groupId, e);
            return false;
        }
    }

    private void remove(String groupId, List<PartitionId> partitions) {
        synchronized (table.lock) {
            Group g = table.groups.get(groupId);
            if (g != null) {
                partitions.forEach(g.offsets::remove);
            }
        }
    }
}
