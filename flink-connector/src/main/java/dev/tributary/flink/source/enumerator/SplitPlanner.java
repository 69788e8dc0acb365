package dev.tributary.flink.source.enumerator;

import dev.tributary.flink.source.split.TributarySplit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Pure split planning, no I/O: turns resolved start/stop offsets into splits, cuts large bounded ranges
 * into pieces for parallel backfill, and decides which reader owns a split.
 */
public final class SplitPlanner {

    private SplitPlanner() {}

    /**
     * @param stopOffsets stop offset per partition; a partition absent here has no offset bound
     * @param stopTimestamp {@link TributarySplit#NO_STOPPING_TIMESTAMP} for none
     * @param maxRangeSize cut bounded ranges longer than this many offsets; {@code <= 0} never cuts
     */
    public static List<TributarySplit> plan(
            Collection<TopicPartition> partitions,
            Map<TopicPartition, Long> startOffsets,
            Map<TopicPartition, Long> stopOffsets,
            long stopTimestamp,
            long maxRangeSize) {
        List<TopicPartition> ordered = new ArrayList<>(partitions);
        ordered.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        List<TributarySplit> out = new ArrayList<>();
        for (TopicPartition tp : ordered) {
            Long start = startOffsets.get(tp);
            if (start == null) {
                throw new IllegalStateException("no starting offset resolved for " + tp);
            }
            long stop = stopOffsets.getOrDefault(tp, TributarySplit.NO_STOPPING_OFFSET);
            if (maxRangeSize <= 0 || stop == TributarySplit.NO_STOPPING_OFFSET || stop - start <= maxRangeSize) {
                out.add(new TributarySplit(tp.topic(), tp.partition(), 0, start, stop, stopTimestamp));
                continue;
            }
            int index = 0;
            for (long from = start; from < stop; from += maxRangeSize) {
                long to = Math.min(stop, from + maxRangeSize);
                out.add(new TributarySplit(tp.topic(), tp.partition(), index++, from, to, stopTimestamp));
            }
        }
        return out;
    }

    /**
     * The reader that owns {@code split}. Partitions of one topic go round-robin from a topic-dependent
     * first reader, so several small topics do not all pile onto reader 0; the pieces of a cut range
     * continue the round-robin so a backfill spreads over all readers.
     */
    public static int ownerOf(TributarySplit split, int parallelism) {
        int first = (split.topic().hashCode() * 31 & 0x7FFFFFFF) % parallelism;
        long slot = (long) first + split.partition() + split.rangeIndex();
        return (int) (slot % parallelism);
    }
}
