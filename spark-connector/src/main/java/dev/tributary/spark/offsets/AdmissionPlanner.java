package dev.tributary.spark.offsets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.streaming.CompositeReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxBytes;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.connector.read.streaming.ReadMinRows;

/**
 * Decides where a micro-batch ends, given where it starts, the offsets it may read up to and the rate
 * limits. Pure logic: the caller supplies the offsets, the clock readings and per-partition record-size
 * estimates.
 *
 * <ul>
 *   <li>{@code maxOffsetsPerTrigger}: a batch never admits more offsets than the budget. The budget is
 *       handed out in three rounds: first one offset to each partition with a backlog, then the rest in
 *       proportion to what is left of each backlog (rounded down), then what rounding left over, one
 *       offset at a time to the largest remaining backlog. The first round is what keeps a partition with
 *       a small backlog beside a huge one from waiting until the huge one drains: it gets an offset in
 *       every batch. When the budget is smaller than the number of partitions with a backlog, the first
 *       round goes round-robin, starting where the sum of the start offsets points (the sum grows by
 *       what each batch admits), so each of {@code n} partitions is served at least once in every
 *       {@code ceil(n / budget)} batches, and the choice survives a restart, because it depends only on
 *       the checkpointed offsets.</li>
 *   <li>{@code maxBytesPerTrigger}: the same, with offsets weighed by the partition's estimated record
 *       size. Whichever limit is tighter wins per partition. If the next record alone is larger than the
 *       byte budget the batch still takes that one record, or the query would never progress.</li>
 *   <li>{@code minOffsetsPerTrigger} + {@code maxTriggerDelay}: a batch with fewer new offsets than the
 *       minimum waits until the delay since the last batch has passed. AvailableNow ignores the minimum:
 *       it reads what there is and stops.</li>
 *   <li>No limit (and Trigger.Once, for which Spark asks for everything available): all of it.</li>
 * </ul>
 */
public final class AdmissionPlanner {
    private final long maxOffsets;
    private final long maxBytes;
    private final long minOffsets;
    private final long maxTriggerDelayMs;

    /** Use 0 (or negative) for "no limit" on any of the arguments. */
    public AdmissionPlanner(long maxOffsets, long maxBytes, long minOffsets, long maxTriggerDelayMs) {
        this.maxOffsets = maxOffsets;
        this.maxBytes = maxBytes;
        this.minOffsets = minOffsets;
        this.maxTriggerDelayMs = maxTriggerDelayMs;
    }

    /**
     * The planner for the limit Spark passes to {@code latestOffset}: a single limit or a composite of
     * them. Limits of kinds this source does not offer are ignored.
     *
     * @param availableNow true in an AvailableNow run, which ignores {@code minOffsetsPerTrigger}
     */
    public static AdmissionPlanner of(ReadLimit limit, boolean availableNow) {
        long[] v = new long[4]; // maxRows, maxBytes, minRows, maxTriggerDelayMs
        collect(limit, v);
        return availableNow ? new AdmissionPlanner(v[0], v[1], 0, 0) : new AdmissionPlanner(v[0], v[1], v[2], v[3]);
    }

    private static void collect(ReadLimit limit, long[] v) {
        if (limit instanceof ReadMaxRows r) {
            v[0] = r.maxRows();
        } else if (limit instanceof ReadMaxBytes b) {
            v[1] = b.maxBytes();
        } else if (limit instanceof ReadMinRows m) {
            v[2] = m.minRows();
            v[3] = m.maxTriggerDelayMs();
        } else if (limit instanceof CompositeReadLimit c) {
            for (ReadLimit inner : c.getReadLimits()) {
                collect(inner, v);
            }
        }
    }

    /** True when {@link #limit} needs record-size estimates. */
    public boolean limitsBytes() {
        return maxBytes > 0;
    }

    /**
     * @return false when the batch should wait: fewer than {@code minOffsetsPerTrigger} new offsets and
     *     the last batch was less than {@code maxTriggerDelay} ago
     */
    public boolean shouldRunBatch(long availableOffsets, long lastBatchMs, long nowMs) {
        if (minOffsets <= 0 || availableOffsets >= minOffsets) {
            return true;
        }
        return nowMs - lastBatchMs >= maxTriggerDelayMs;
    }

    /**
     * @param start where the batch starts; a partition missing here starts at {@code latest}
     * @param avgRecordBytes estimated bytes per offset per partition (only needed with maxBytes)
     * @return the end offset per partition of {@code latest}; never before start, never after latest
     */
    public PartitionOffsets limit(
            PartitionOffsets start, PartitionOffsets latest, Map<TopicPartition, Double> avgRecordBytes) {
        Map<TopicPartition, Long> backlog = new HashMap<>();
        List<TopicPartition> waiting = new ArrayList<>(); // partitions with a backlog, in PartitionOffsets order
        for (TopicPartition tp : latest.partitions()) {
            long n = Math.max(0, latest.get(tp) - start.getOrDefault(tp, latest.get(tp)));
            backlog.put(tp, n);
            if (n > 0) {
                waiting.add(tp);
            }
        }
        int first = 0; // the sum of the waiting partitions' start offsets, modulo their number
        for (TopicPartition tp : waiting) {
            first = (int) ((first + Math.floorMod(start.get(tp), (long) waiting.size())) % waiting.size());
        }
        Map<TopicPartition, Long> take = new HashMap<>(backlog);
        if (maxOffsets > 0) {
            Map<TopicPartition, Long> byRows = share(backlog, waiting, first, maxOffsets, tp -> 1.0);
            take.replaceAll((tp, n) -> Math.min(n, byRows.get(tp)));
        }
        if (maxBytes > 0) {
            Map<TopicPartition, Long> byBytes =
                    share(backlog, waiting, first, maxBytes, tp -> Math.max(1.0, avgRecordBytes.getOrDefault(tp, 1.0)));
            if (!waiting.isEmpty() && byBytes.values().stream().allMatch(n -> n == 0)) {
                // the next record is bigger than the whole budget: admit one record so the query progresses
                byBytes.put(waiting.get(first), 1L);
            }
            take.replaceAll((tp, n) -> Math.min(n, byBytes.get(tp)));
        }
        Map<TopicPartition, Long> end = new HashMap<>();
        for (TopicPartition tp : latest.partitions()) {
            end.put(tp, start.getOrDefault(tp, latest.get(tp)) + take.get(tp));
        }
        return PartitionOffsets.of(end);
    }

    /**
     * Shares {@code budget} (in units of {@code weight} per offset) over the backlogs, in the three rounds
     * the class javadoc describes. Returns offsets per partition, never more than its backlog.
     */
    private static Map<TopicPartition, Long> share(
            Map<TopicPartition, Long> backlog,
            List<TopicPartition> waiting,
            int first,
            long budget,
            ToDoubleFunction<TopicPartition> weight) {
        Map<TopicPartition, Long> out = new HashMap<>();
        double totalWeighted = 0;
        for (Map.Entry<TopicPartition, Long> e : backlog.entrySet()) {
            out.put(e.getKey(), 0L);
            totalWeighted += e.getValue() * weight.applyAsDouble(e.getKey());
        }
        if (totalWeighted <= budget) {
            out.putAll(backlog);
            return out;
        }
        // round 1: one offset to each waiting partition, round-robin from `first`, while the budget lasts
        double used = 0;
        for (int i = 0; i < waiting.size(); i++) {
            TopicPartition tp = waiting.get((first + i) % waiting.size());
            double w = weight.applyAsDouble(tp);
            if (used + w > budget) {
                break;
            }
            out.put(tp, 1L);
            used += w;
        }
        // round 2: the rest in proportion to what is left of each backlog, rounded down
        double leftWeighted = 0;
        for (TopicPartition tp : waiting) {
            leftWeighted += (backlog.get(tp) - out.get(tp)) * weight.applyAsDouble(tp);
        }
        double rest = budget - used;
        if (leftWeighted > 0) {
            for (TopicPartition tp : waiting) {
                double w = weight.applyAsDouble(tp);
                long left = backlog.get(tp) - out.get(tp);
                long n = Math.min(left, (long) Math.floor(rest * (left * w / leftWeighted) / w));
                out.put(tp, out.get(tp) + n);
                used += n * w;
            }
        }
        // round 3: what rounding left over, one offset at a time, largest remaining backlog first
        while (true) {
            TopicPartition best = null;
            long bestLeft = 0;
            for (TopicPartition tp : waiting) {
                long left = backlog.get(tp) - out.get(tp);
                if (left > bestLeft && used + weight.applyAsDouble(tp) <= budget) {
                    best = tp;
                    bestLeft = left;
                }
            }
            if (best == null) {
                return out;
            }
            out.put(best, out.get(best) + 1);
            used += weight.applyAsDouble(best);
        }
    }
}
