package dev.tributary.spark.offsets;

import dev.tributary.spark.TributaryErrors;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a streaming query may read, per partition, besides the rate limits: the ending options and the
 * AvailableNow snapshot. Pure logic; offsets for ending timestamps come from an {@link OffsetLookup}.
 *
 * <ul>
 *   <li>{@code endingOffsets} JSON: a partition never reads past its offset. Partitions the JSON does not
 *       name, and the markers -1/-2, have no cap. {@code "latest"} and {@code "earliest"} are refused: a
 *       stream's latest moves, so they name no end.</li>
 *   <li>{@code endingTimestamp} / {@code endingOffsetsByTimestamp}: a partition's cap is the first offset
 *       whose record has a timestamp at or after the end. Until such a record exists the partition has no
 *       cap and is asked about again on the next trigger; once found, the cap is fixed.</li>
 *   <li>AvailableNow: the latest offsets when the run began, taken once by {@link #snapshotAvailableNow}.
 *       A partition that appeared after the snapshot is held where it starts, and is read by the next
 *       run. (Trigger.Once needs no cap here: Spark runs one batch and asks for all that is available.)
 *       </li>
 * </ul>
 *
 * <p>The end is reached when every partition has a cap and the query's position has reached it; the
 * stream then stops the query. A query with AvailableNow but no ending option ends the Spark way: Spark
 * stops once a batch admits nothing new.
 */
public final class EndingCaps {
    private final OffsetSpec ending;
    private final Map<TopicPartition, Long> caps = new HashMap<>();
    private PartitionOffsets availableNow;

    /**
     * @param ending the ending option, or null for none
     * @param optionValue the option as the user wrote it, for the error message
     */
    public EndingCaps(OffsetSpec ending, String optionValue) {
        if (ending instanceof OffsetSpec.Latest || ending instanceof OffsetSpec.Earliest) {
            throw TributaryErrors.invalidOption(
                    "endingOffsets",
                    optionValue,
                    "a streaming query ends only at per-partition offsets or at a timestamp (endingTimestamp)");
        }
        this.ending = ending;
    }

    /** Fixes the AvailableNow cap to {@code latest}: the offsets that existed when the run began. */
    public void snapshotAvailableNow(PartitionOffsets latest) {
        this.availableNow = latest;
    }

    public boolean availableNow() {
        return availableNow != null;
    }

    /** Resolves the caps of {@code partitions} that have none yet, asking {@code lookup} for timestamps. */
    public void resolve(Collection<TopicPartition> partitions, OffsetLookup lookup) {
        if (ending instanceof OffsetSpec.Specific specific) {
            for (TopicPartition tp : partitions) {
                Long v = specific.offsets().get(tp);
                if (v != null && v >= 0) {
                    caps.put(tp, v);
                }
            }
            return;
        }
        Map<TopicPartition, Long> ask = new HashMap<>();
        for (TopicPartition tp : partitions) {
            Long ts = caps.containsKey(tp) ? null : timestampOf(tp);
            if (ts != null) {
                ask.put(tp, ts);
            }
        }
        if (!ask.isEmpty()) {
            caps.putAll(lookup.forTimestamps(ask)); // no entry: no record at or after the end yet
        }
    }

    private Long timestampOf(TopicPartition tp) {
        if (ending instanceof OffsetSpec.GlobalTimestamp g) {
            return g.timestampMs();
        }
        if (ending instanceof OffsetSpec.PartitionTimestamps p) {
            return p.timestampsMs().get(tp);
        }
        return null;
    }

    /**
     * @return {@code latest} held back by the caps, and never below {@code from}, for every partition of
     *     {@code latest}
     */
    public PartitionOffsets cap(PartitionOffsets latest, PartitionOffsets from) {
        Map<TopicPartition, Long> out = new HashMap<>();
        for (TopicPartition tp : latest.partitions()) {
            long start = from.get(tp);
            long v = latest.get(tp);
            if (availableNow != null) {
                v = Math.min(v, availableNow.getOrDefault(tp, start));
            }
            Long cap = caps.get(tp);
            if (cap != null) {
                v = Math.min(v, cap);
            }
            out.put(tp, Math.max(v, start));
        }
        return PartitionOffsets.of(out);
    }

    /** True when there is an ending option and every one of {@code partitions} is at or past its cap. */
    public boolean endReached(Collection<TopicPartition> partitions, PartitionOffsets from) {
        if (ending == null || partitions.isEmpty()) {
            return false;
        }
        for (TopicPartition tp : partitions) {
            Long cap = caps.get(tp);
            if (cap == null || from.get(tp) < cap) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        String end = ending instanceof OffsetSpec.GlobalTimestamp g
                ? "endingTimestamp " + g.timestampMs()
                : "ending " + ending;
        return end + (availableNow == null ? "" : ", AvailableNow " + availableNow) + ", caps " + caps;
    }
}
