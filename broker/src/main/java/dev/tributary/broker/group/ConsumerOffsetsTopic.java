package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.Record;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's {@link GroupStore} on the internal compacted topic {@code __consumer_offsets}
 * (one partition; this is a single broker). Each store call appends one v2 batch built with core-log's
 * {@link RecordBatchBuilder}; the record layout is {@link ConsumerOffsetsRecords}. {@link #load} reads the
 * partition from its start and keeps the last value per key, which is also what compaction keeps.
 *
 * <p>Thread-safety comes from the partition's append lock (in {@link Partition0#append}) and from the
 * coordinator calling the store under its own lock.
 */
public final class ConsumerOffsetsTopic implements GroupStore {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerOffsetsTopic.class);

    /** The partition the records go to, as the broker exposes it. */
    public interface Partition0 {
        /** Appends one batch under the partition's append lock. */
        void append(ByteBuffer batch) throws IOException;

        long logStartOffset();

        Iterator<RecordBatch> batches(long fromOffset);
    }

    /** What {@link #load} found: the last group record and the offsets of every group. */
    public record Loaded(Collection<GroupMetadataRecord> groups, Map<String, Map<PartitionId, CommittedOffset>> offsets,
                         int records, int skipped) {
    }

    private final Partition0 partition;
    private final Clock clock;

    public ConsumerOffsetsTopic(Partition0 partition, Clock clock) {
        this.partition = partition;
        this.clock = clock;
    }

    @Override
    public void storeGroup(GroupMetadataRecord group) throws IOException {
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE);
        b.append(clock.millis(), ConsumerOffsetsRecords.groupKey(group.groupId()), ConsumerOffsetsRecords.groupValue(group));
        partition.append(b.build());
    }

    @Override
    public void storeOffsets(String groupId, Map<PartitionId, CommittedOffset> offsets) throws IOException {
        if (offsets.isEmpty()) {
            return;
        }
        long now = clock.millis();
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE, 64 * offsets.size());
        offsets.forEach((tp, o) -> b.append(now, ConsumerOffsetsRecords.offsetKey(groupId, tp), ConsumerOffsetsRecords.offsetValue(o)));
        partition.append(b.build());
    }

    @Override
    public void deleteOffsets(String groupId, Collection<PartitionId> partitions) throws IOException {
        if (partitions.isEmpty()) {
            return;
        }
        long now = clock.millis();
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE);
        for (PartitionId tp : partitions) {
            b.append(now, ConsumerOffsetsRecords.offsetKey(groupId, tp), null);
        }
        partition.append(b.build());
    }

    @Override
    public void deleteGroup(String groupId, Collection<PartitionId> partitions) throws IOException {
        long now = clock.millis();
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE);
        for (PartitionId tp : partitions) {
            b.append(now, ConsumerOffsetsRecords.offsetKey(groupId, tp), null);
        }
        b.append(now, ConsumerOffsetsRecords.groupKey(groupId), null);
        partition.append(b.build());
    }

    /**
     * Reads the whole partition. A record that cannot be decoded is logged with its offset and skipped, so
     * one bad record costs one group's or one partition's offset, not the broker's start.
     */
    public Loaded load() {
        Map<String, GroupMetadataRecord> groups = new LinkedHashMap<>();
        Map<String, Map<PartitionId, CommittedOffset>> offsets = new HashMap<>();
        int records = 0;
        int skipped = 0;
        Iterator<RecordBatch> it = partition.batches(partition.logStartOffset());
        while (it.hasNext()) {
            RecordBatch batch = it.next();
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

    private static void apply(Record r, Map<String, GroupMetadataRecord> groups,
                              Map<String, Map<PartitionId, CommittedOffset>> offsets) throws CorruptGroupRecordException {
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
}
