package dev.tributary.spark.offsets;

import java.io.Serializable;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * An immutable, ordered map from topic-partition to offset (or timestamp, depending on context). The
 * order (topic, then partition) makes JSON output and planning deterministic.
 */
public final class PartitionOffsets implements Serializable {
    public static final Comparator<TopicPartition> ORDER =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private static final PartitionOffsets EMPTY = new PartitionOffsets(new TreeMap<>(ORDER));

    private final TreeMap<TopicPartition, Long> offsets;

    private PartitionOffsets(TreeMap<TopicPartition, Long> offsets) {
        this.offsets = offsets;
    }

    public static PartitionOffsets empty() {
        return EMPTY;
    }

    public static PartitionOffsets of(Map<TopicPartition, Long> offsets) {
        TreeMap<TopicPartition, Long> copy = new TreeMap<>(ORDER);
        copy.putAll(offsets);
        return new PartitionOffsets(copy);
    }

    public Map<TopicPartition, Long> asMap() {
        return Collections.unmodifiableMap(offsets);
    }

    public Long get(TopicPartition tp) {
        return offsets.get(tp);
    }

    public long getOrDefault(TopicPartition tp, long dflt) {
        Long v = offsets.get(tp);
        return v == null ? dflt : v;
    }

    public boolean contains(TopicPartition tp) {
        return offsets.containsKey(tp);
    }

    public java.util.Set<TopicPartition> partitions() {
        return Collections.unmodifiableSet(offsets.keySet());
    }

    public int size() {
        return offsets.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PartitionOffsets other && offsets.equals(other.offsets);
    }

    @Override
    public int hashCode() {
        return offsets.hashCode();
    }

    @Override
    public String toString() {
        return OffsetJson.write(this);
    }
}
