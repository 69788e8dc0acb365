package dev.tributary.flink.source.enumerator;

import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Offset queries an {@link OffsetsInitializer} may make. {@link BrokerMetadata} answers them with Kafka's
 * ListOffsets and OffsetFetch; tests answer from maps.
 */
public interface PartitionOffsetsLookup {

    /** The log start offset of each partition. */
    Map<TopicPartition, Long> earliest(Collection<TopicPartition> partitions);

    /** The log end offset (high watermark) of each partition. */
    Map<TopicPartition, Long> latest(Collection<TopicPartition> partitions);

    /**
     * The first offset whose record timestamp is {@code >= timestamp}; partitions with no such record
     * are absent from the result.
     */
    Map<TopicPartition, Long> forTimestamp(Collection<TopicPartition> partitions, long timestamp);

    /** The consumer group's committed offsets; partitions without a commit are absent. */
    Map<TopicPartition, Long> committed(Collection<TopicPartition> partitions);
}
