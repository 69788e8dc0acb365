package dev.tributary.spark.offsets;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides the Spark input partitions for a set of per-topic-partition offset ranges. Pure logic.
 *
 * <ol>
 *   <li>Empty ranges are dropped: a task that reads nothing still costs a consumer round trip.</li>
 *   <li>{@code maxRecordsPerPartition}: a range larger than it is cut into
 *       {@code ceil(size / max)} equal parts, so no task reads more than the limit.</li>
 *   <li>{@code minPartitions}: while there are fewer tasks than asked for, each range is cut in
 *       proportion to its share of all offsets ({@code ceil(size * minPartitions / total)} parts), so
 *       big partitions get more tasks and the total is at least {@code minPartitions} (given enough
 *       offsets).</li>
 *   <li>Every part of a topic-partition gets the same preferred executor, chosen by a hash of the
 *       topic-partition over the sorted executor list, so the executor's cached consumer for that
 *       partition is reused from batch to batch.</li>
 * </ol>
 */
public final class OffsetRangeCalculator {
    private final int minPartitions;
    private final long maxRecordsPerPartition;

    /**
     * @param minPartitions 0 for no minimum
     * @param maxRecordsPerPartition 0 for no maximum
     */
    public OffsetRangeCalculator(int minPartitions, long maxRecordsPerPartition) {
        if (minPartitions < 0 || maxRecordsPerPartition < 0) {
            throw new IllegalArgumentException(
                    "minPartitions " + minPartitions + " / maxRecordsPerPartition " + maxRecordsPerPartition + " < 0");
        }
        this.minPartitions = minPartitions;
        this.maxRecordsPerPartition = maxRecordsPerPartition;
    }

    /** @param executors sorted executor locations (may be empty, then no preference is given) */
    public List<OffsetRange> plan(List<OffsetRange> ranges, List<String> executors) {
        List<OffsetRange> out = new ArrayList<>();
        for (OffsetRange r : ranges) {
            if (r.size() > 0) {
                out.addAll(maxRecordsPerPartition > 0 ? cut(r, ceilDiv(r.size(), maxRecordsPerPartition)) : List.of(r));
            }
        }
        if (minPartitions > 0 && out.size() < minPartitions) {
            long total = 0;
            for (OffsetRange r : out) {
                total += r.size();
            }
            List<OffsetRange> spread = new ArrayList<>();
            for (OffsetRange r : out) {
                // multiply in double: size * minPartitions may overflow a long for huge ranges
                long parts = (long) Math.ceil((double) r.size() * minPartitions / total);
                spread.addAll(cut(r, Math.max(1, parts)));
            }
            out = spread;
        }
        List<OffsetRange> located = new ArrayList<>(out.size());
        for (OffsetRange r : out) {
            located.add(r.withPreferredLocation(preferredExecutor(r.topicPartition(), executors)));
        }
        return located;
    }

    /** The executor that always reads {@code tp}, or null when there are no executors to choose from. */
    public static String preferredExecutor(TopicPartition tp, List<String> sortedExecutors) {
        if (sortedExecutors.isEmpty()) {
            return null;
        }
        return sortedExecutors.get(Math.floorMod(tp.hashCode(), sortedExecutors.size()));
    }

    private static List<OffsetRange> cut(OffsetRange r, long parts) {
        parts = Math.min(parts, r.size());
        if (parts <= 1) {
            return List.of(r);
        }
        List<OffsetRange> out = new ArrayList<>((int) parts);
        long size = r.size();
        for (long i = 0; i < parts; i++) {
            // boundaries at floor(size * i / parts), computed without overflow
            long from = r.from() + mulDiv(size, i, parts);
            long until = r.from() + mulDiv(size, i + 1, parts);
            out.add(new OffsetRange(r.topicPartition(), from, until));
        }
        return out;
    }

    private static long mulDiv(long a, long b, long c) {
        return java.math.BigInteger.valueOf(a)
                .multiply(java.math.BigInteger.valueOf(b))
                .divide(java.math.BigInteger.valueOf(c))
                .longValueExact();
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
