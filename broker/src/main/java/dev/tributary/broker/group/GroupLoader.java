package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.record.Record;
import dev.tributary.log.record.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a coordinator back from {@code __consumer_offsets} at startup. {@link #read} replays the partition's
 * batches (what {@link ConsumerOffsetsTopic} wrote) and keeps the last value per key, which is also what
 * compaction keeps; {@link #install} turns the result into the coordinator's groups. Both are pure: the
 * caller hands in the batches and the time.
 *
 * <p>Groups that had members come back Stable in their generation, so running consumers keep
 * heartbeating and committing without a rebalance; members that do not heartbeat within their session
 * timeout are then removed by the coordinator as usual.
 */
public final class GroupLoader {

    private static final Logger LOG = LoggerFactory.getLogger(GroupLoader.class);

    /** What {@link #read} found: the last group record and the offsets of every group. */
    public record Loaded(
            Collection<GroupMetadataRecord> groups,
            Map<String, Map<PartitionId, CommittedOffset>> offsets,
            int records,
            int skipped) {}

    private GroupLoader() {}

    /**
     * Reads every batch. A record that cannot be decoded is logged with its offset and skipped, so one bad
     * record costs one group's or one partition's offset, not the broker's start.
     */
    public static Loaded read(Iterator<RecordBatch> batches) {
        Map<String, GroupMetadataRecord> groups = new LinkedHashMap<>();
        Map<String, Map<PartitionId, CommittedOffset>> offsets = new HashMap<>();
        int records = 0;
        int skipped = 0;
        while (batches.hasNext()) {
            RecordBatch batch = batches.next();
            if (batch.isControlBatch()) {
                continue;
            }
            for (Record r : batch) {
                records++;
                try {
                    apply(r, groups, offsets);
                } catch (CorruptGroupRecordException e) {
                    skipped++;
                    LOG.error("Skipping record: {}", e.getMessage());
                }
            }
        }
        offsets.values().removeIf(Map::isEmpty);
        return new Loaded(groups.values(), offsets, records, skipped);
    }

    private static void apply(
            Record r, Map<String, GroupMetadataRecord> groups, Map<String, Map<PartitionId, CommittedOffset>> offsets)
            throws CorruptGroupRecordException {
        ByteBuffer key = r.key();
        if (key == null) {
            throw new CorruptGroupRecordException(r.offset(), "record has no key");
        }
        ByteBuffer value = r.value();
        ConsumerOffsetsRecords.Key k = ConsumerOffsetsRecords.readKey(key, r.offset());
        if (k instanceof ConsumerOffsetsRecords.OffsetKey ok) {
            if (value == null) {
                Map<PartitionId, CommittedOffset> m = offsets.get(ok.groupId());
                if (m != null) {
                    m.remove(ok.partition());
                }
            } else {
                offsets.computeIfAbsent(ok.groupId(), g -> new TreeMap<>())
                        .put(ok.partition(), ConsumerOffsetsRecords.readOffsetValue(value, r.offset()));
            }
        } else if (k instanceof ConsumerOffsetsRecords.GroupKey gk) {
            if (value == null) {
                groups.remove(gk.groupId());
                offsets.remove(gk.groupId());
            } else {
                groups.put(gk.groupId(), ConsumerOffsetsRecords.readGroupValue(gk.groupId(), value, r.offset()));
            }
        }
    }

    /** Builds the groups of a {@link Loaded}, replacing whatever {@code groups} held; call under the table's lock. */
    static void install(Loaded loaded, Map<String, Group> groups, long now) {
        groups.clear();
        for (GroupMetadataRecord r : loaded.groups()) {
            Group g = new Group(r.groupId(), r.stateTimestamp());
            g.generationId = r.generationId();
            g.protocolType = r.protocolType().isEmpty() ? null : r.protocolType();
            g.protocolName = r.protocolName();
            g.leaderId = r.leaderId();
            for (GroupMetadataRecord.Member m : r.members()) {
                List<JoinGroup.Protocol> protocols = r.protocolName() == null
                        ? List.of()
                        : List.of(new JoinGroup.Protocol(r.protocolName(), m.subscription()));
                GroupMember gm = new GroupMember(
                        m.memberId(),
                        m.groupInstanceId(),
                        m.clientId(),
                        m.clientHost(),
                        m.sessionTimeoutMs(),
                        m.rebalanceTimeoutMs(),
                        protocols);
                gm.assignment = m.assignment();
                gm.heartbeatDeadline = now + m.sessionTimeoutMs();
                g.members.put(gm.memberId, gm);
            }
            g.state = g.members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
            groups.put(g.groupId, g);
        }
        loaded.offsets()
                .forEach((groupId, byPartition) -> groups.computeIfAbsent(groupId, id -> new Group(id, now))
                        .offsets
                        .putAll(byPartition));
    }
}
