package dev.tributary.flink.source.enumerator;

import dev.tributary.flink.source.split.TributarySplit;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * The enumerator's checkpoint: partitions it has already turned into splits (so a restore does not hand
 * them out twice), splits not yet delivered to a reader, and whether the first discovery has run (after
 * it, newly found partitions start at the earliest offset instead of the configured start).
 */
public record TributaryEnumeratorState(
        Set<TopicPartition> knownPartitions, List<TributarySplit> pendingSplits, boolean initialDiscoveryDone) {

    public TributaryEnumeratorState {
        knownPartitions = Set.copyOf(knownPartitions);
        pendingSplits = List.copyOf(pendingSplits);
    }
}
