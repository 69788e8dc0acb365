package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Collection;
import java.util.Map;

/**
 * A coordinator's {@link GroupStore} on one partition of the internal compacted topic {@code __consumer_offsets}
 * (a single node's only partition, or on a cluster node the partition it leads, written with {@code acks=all}
 * semantics by {@link ReplicatedAppend}). Each store call appends one v2 batch built with core-log's
 * {@link RecordBatchBuilder}; the record layout is {@link ConsumerOffsetsRecords}. {@link GroupLoader} reads
 * them back at startup, or when a cluster node becomes the partition's leader.
 *
 * <p>Thread-safety comes from the partition's append lock (in {@link Appender#append}) and from the
 * coordinator calling the store under its write lock ({@link GroupTable}).
 */
public final class ConsumerOffsetsTopic implements GroupStore {

    /** The partition the records go to, as the broker exposes it. */
    public interface Appender {
        /** Appends one batch under the partition's append lock; returns once it is durable (see {@link GroupStore}). */
        void append(ByteBuffer batch) throws IOException;
    }

    private final Appender partition;
    private final Clock clock;

    public ConsumerOffsetsTopic(Appender partition, Clock clock) {
        this.partition = partition;
        this.clock = clock;
    }

    @Override
    public void storeGroup(GroupMetadataRecord group) throws IOException {
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE);
        b.append(
                clock.millis(),
                ConsumerOffsetsRecords.groupKey(group.groupId()),
                ConsumerOffsetsRecords.groupValue(group));
        partition.append(b.build());
    }

    @Override
    public void storeOffsets(String groupId, Map<PartitionId, CommittedOffset> offsets) throws IOException {
        if (offsets.isEmpty()) {
            return;
        }
        long now = clock.millis();
        RecordBatchBuilder b = RecordBatchBuilder.create(Codec.NONE, 64 * offsets.size());
        offsets.forEach((tp, o) ->
                b.append(now, ConsumerOffsetsRecords.offsetKey(groupId, tp), ConsumerOffsetsRecords.offsetValue(o)));
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
}
