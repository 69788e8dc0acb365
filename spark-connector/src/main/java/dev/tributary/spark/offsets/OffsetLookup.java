package dev.tributary.spark.offsets;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The three offset questions a query asks the broker (ListOffsets). Kept as an interface so that
 * {@link OffsetSpecResolver} can be tested with plain maps.
 */
public interface OffsetLookup {
    Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions);

    Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions);

    /**
     * For each partition, the first offset whose record timestamp is >= the given timestamp, or no
     * entry when the partition has no such record.
     */
    Map<TopicPartition, Long> forTimestamps(Map<TopicPartition, Long> timestampsMs);
}
