package dev.tributary.flink.source.enumerator;

import java.util.Set;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.kafka.common.TopicPartition;

/**
 * Enumerator to readers: these partitions no longer exist (topic deleted). Readers finish their splits,
 * so the partitions leave the job's state; a topic re-created later is discovered as new and read from
 * its start.
 */
public record PartitionsRemovedEvent(Set<TopicPartition> partitions) implements SourceEvent {}
