package dev.tributary.broker.group;

import dev.tributary.broker.partition.PartitionId;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;

/**
 * Where the coordinator persists what must survive a restart. The broker's implementation appends to the
 * compacted internal topic {@code __consumer_offsets} ({@link ConsumerOffsetsTopic}); tests use memory.
 *
 * <p>Each call must be durable in the log's sense (appended, readable after a restart) before it
 * returns, because the coordinator acknowledges the client right after.
 */
public interface GroupStore {

    void storeGroup(GroupMetadataRecord group) throws IOException;

    void storeOffsets(String groupId, Map<PartitionId, CommittedOffset> offsets) throws IOException;

    /** Removes offsets, e.g. expired ones. */
    void deleteOffsets(String groupId, Collection<PartitionId> partitions) throws IOException;

    /** Removes a group and the given offsets of it. */
    void deleteGroup(String groupId, Collection<PartitionId> partitions) throws IOException;

    /** A store that keeps nothing, for coordinators that need no persistence. */
    GroupStore NONE = new GroupStore() {
        @Override
        public void storeGroup(GroupMetadataRecord group) {}

        @Override
        public void storeOffsets(String groupId, Map<PartitionId, CommittedOffset> offsets) {}

        @Override
        public void deleteOffsets(String groupId, Collection<PartitionId> partitions) {}

        @Override
        public void deleteGroup(String groupId, Collection<PartitionId> partitions) {}
    };
}
