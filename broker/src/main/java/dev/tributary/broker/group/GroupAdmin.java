package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ListGroups, DescribeGroups and DeleteGroups over the groups of one coordinator ({@link GroupTable}). Reads
 * take the table's lock; a delete marks the groups Dead under it and writes their offset tombstones through
 * the {@link OffsetManager} holding only the write lock, as {@link GroupTable} prescribes.
 */
public final class GroupAdmin {

    private final GroupTable table;
    private final Object lock;
    private final Map<String, Group> groups;
    private final OffsetManager offsets;

    GroupAdmin(GroupTable table, OffsetManager offsets) {
        this.table = table;
        this.lock = table.lock;
        this.groups = table.groups;
        this.offsets = offsets;
    }

    /** Handles ListGroups; an empty state filter lists all groups. */
    public List<GroupOverview> listGroups(Set<GroupState> states) {
        synchronized (lock) {
            List<GroupOverview> result = new ArrayList<>();
            for (Group g : groups.values()) {
                if (states.isEmpty() || states.contains(g.state)) {
                    result.add(new GroupOverview(g.groupId, g.protocolType == null ? "" : g.protocolType, g.state));
                }
            }
            result.sort((a, b) -> a.groupId().compareTo(b.groupId()));
            return result;
        }
    }

    /** Handles DescribeGroups for one group; empty when the coordinator does not know it. */
    public Optional<GroupDescription> describeGroup(String groupId) {
        synchronized (lock) {
            Group g = groups.get(groupId);
            return g == null ? Optional.empty() : Optional.of(g.describe());
        }
    }

    /** Handles DeleteGroups: only groups without members can be deleted; their offsets go with them. */
    public Map<String, GroupError> deleteGroups(List<String> groupIds) {
        Map<String, GroupError> result = new LinkedHashMap<>();
        Map<Group, List<PartitionId>> deletable = new LinkedHashMap<>();
        synchronized (table.writeLock) {
            synchronized (lock) {
                for (String id : groupIds) {
                    Group g = groups.get(id);
                    if (g == null || g.is(GroupState.DEAD)) {
                        result.put(id, GroupError.GROUP_ID_NOT_FOUND);
                    } else if (!g.is(GroupState.EMPTY)) {
                        result.put(id, GroupError.NON_EMPTY_GROUP);
                    } else {
                        g.state = GroupState.DEAD; // closed to joins and commits while the tombstones are written
                        deletable.put(g, new ArrayList<>(g.offsets.keySet()));
                        result.put(id, GroupError.NONE);
                    }
                }
            }
            deletable.forEach((g, partitions) -> {
                if (!offsets.removeGroup(g, partitions)) {
                    result.put(g.groupId, GroupError.COORDINATOR_NOT_AVAILABLE);
                }
            });
        }
        return result;
    }
}
