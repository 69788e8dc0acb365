package dev.tributary.flink.source.enumerator;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * What a {@link Subscription} may ask the broker: the topic names, and how many partitions topics have.
 * {@link BrokerMetadata} answers over the wire; tests answer from a map.
 */
public interface TopicMetadataLookup {

    /** All topic names visible to the client, internal topics excluded. */
    Set<String> listTopics();

    /** Partition count per topic; topics that do not exist are absent from the result. */
    Map<String, Integer> partitionCounts(Collection<String> topics);
}
