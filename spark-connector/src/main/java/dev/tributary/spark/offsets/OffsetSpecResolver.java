package dev.tributary.spark.offsets;

import dev.tributary.spark.TributaryErrors;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns a start or end {@link OffsetSpec} into one offset per partition. No I/O of its own: the broker
 * is asked through {@link OffsetLookup}.
 *
 * <p>Rules (the same as spark-sql-kafka's, except that partitions missing from per-partition JSON
 * default to earliest for a start and latest for an end instead of failing):
 * <ul>
 *   <li>-2 / -1 in per-partition JSON mean earliest / latest;</li>
 *   <li>a timestamp resolves to the first offset whose timestamp is >= it. When no record qualifies, an
 *       end resolves to latest; a start fails with TRIBUTARY_NO_OFFSET_FOR_TIMESTAMP unless the
 *       strategy is {@code latest}, then it resolves to latest.</li>
 * </ul>
 */
public final class OffsetSpecResolver {
    /** What a starting timestamp with no matching record resolves to. */
    public enum NoMatchStrategy {
        ERROR,
        LATEST
    }

    private final OffsetLookup lookup;

    public OffsetSpecResolver(OffsetLookup lookup) {
        this.lookup = lookup;
    }

    public PartitionOffsets resolveStart(
            OffsetSpec spec, Collection<TopicPartition> partitions, NoMatchStrategy noMatch) {
        return resolve(spec, partitions, true, noMatch);
    }

    public PartitionOffsets resolveEnd(OffsetSpec spec, Collection<TopicPartition> partitions) {
        return resolve(spec, partitions, false, NoMatchStrategy.LATEST);
    }

    private PartitionOffsets resolve(
            OffsetSpec spec, Collection<TopicPartition> partitions, boolean start, NoMatchStrategy noMatch) {
        if (partitions.isEmpty()) {
            return PartitionOffsets.empty();
        }
        if (spec instanceof OffsetSpec.Earliest) {
            return PartitionOffsets.of(lookup.earliest(partitions));
        }
        if (spec instanceof OffsetSpec.Latest) {
            return PartitionOffsets.of(lookup.latest(partitions));
        }
        if (spec instanceof OffsetSpec.Specific specific) {
            return resolveSpecific(specific.offsets(), partitions, start);
        }
        Map<TopicPartition, Long> timestamps = new HashMap<>();
        if (spec instanceof OffsetSpec.GlobalTimestamp global) {
            for (TopicPartition tp : partitions) {
                timestamps.put(tp, global.timestampMs());
            }
        } else {
            PartitionOffsets perPartition = ((OffsetSpec.PartitionTimestamps) spec).timestampsMs();
            for (TopicPartition tp : partitions) {
                if (perPartition.contains(tp)) {
                    timestamps.put(tp, perPartition.get(tp));
                }
            }
        }
        return resolveTimestamps(timestamps, partitions, start, noMatch);
    }

    private PartitionOffsets resolveSpecific(
            PartitionOffsets given, Collection<TopicPartition> partitions, boolean start) {
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, Long> earliest = null;
        Map<TopicPartition, Long> latest = null;
        for (TopicPartition tp : partitions) {
            long v = given.getOrDefault(tp, start ? OffsetSpec.EARLIEST : OffsetSpec.LATEST);
            if (v == OffsetSpec.EARLIEST) {
                earliest = earliest == null ? lookup.earliest(partitions) : earliest;
                v = earliest.get(tp);
            } else if (v == OffsetSpec.LATEST) {
                latest = latest == null ? lookup.latest(partitions) : latest;
                v = latest.get(tp);
            } else if (v < 0) {
                throw TributaryErrors.invalidOption(
                        start ? "startingOffsets" : "endingOffsets",
                        Long.toString(v),
                        tp + ": offsets must be >= 0, or -2 (earliest) / -1 (latest)");
            }
            out.put(tp, v);
        }
        return PartitionOffsets.of(out);
    }

    private PartitionOffsets resolveTimestamps(
            Map<TopicPartition, Long> timestamps,
            Collection<TopicPartition> partitions,
            boolean start,
            NoMatchStrategy noMatch) {
        Map<TopicPartition, Long> found = timestamps.isEmpty() ? Map.of() : lookup.forTimestamps(timestamps);
        Map<TopicPartition, Long> out = new HashMap<>();
        Map<TopicPartition, Long> latest = null;
        Map<TopicPartition, Long> earliest = null;
        for (TopicPartition tp : partitions) {
            Long offset = found.get(tp);
            if (offset == null && timestamps.containsKey(tp) && start && noMatch == NoMatchStrategy.ERROR) {
                throw TributaryErrors.noOffsetForTimestamp(tp, timestamps.get(tp));
            }
            if (offset == null && !timestamps.containsKey(tp) && start) {
                earliest = earliest == null ? lookup.earliest(partitions) : earliest;
                offset = earliest.get(tp);
            }
            if (offset == null) {
                latest = latest == null ? lookup.latest(partitions) : latest;
                offset = latest.get(tp);
            }
            out.put(tp, offset);
        }
        return PartitionOffsets.of(out);
    }
}
