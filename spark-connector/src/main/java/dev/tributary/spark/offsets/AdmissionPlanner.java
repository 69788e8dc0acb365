package dev.tributary.spark.offsets;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides where a micro-batch ends, given where it starts, the latest offsets and the rate limits.
 * Pure logic: the stream supplies the offsets, the clock readings and per-partition record-size
 * estimates.
 *
 * <ul>
 *   <li>{@code maxOffsetsPerTrigger}: the budget is shared in proportion to each partition's backlog.
 *       Shares are rounded down and the remainder handed out one offset at a time to the largest
 *       backlogs, so a batch never exceeds the budget and small partitions are not starved for long.</li>
 *   <li>{@code maxBytesPerTrigger}: the same, with backlogs measured in estimated bytes (offsets times
 *       the partition's average record size). Whichever limit is tighter wins per partition. If the
 *       first pending record alone is larger than the byte budget the batch still takes that one record,
 *       or the query would never progress.</li>
 *   <li>{@code minOffsetsPerTrigger} + {@code maxTriggerDelay}: a batch with fewer new offsets than the
 *       minimum is skipped until the delay since the last batch has passed.</li>
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
   * @param avgRecordBytes estimated bytes per offset per partition (only needed with maxBytes)
   * @return the end offset per partition of {@code latest}; never before start, never after latest
   */
  public PartitionOffsets limit(PartitionOffsets start, PartitionOffsets latest,
      Map<TopicPartition, Double> avgRecordBytes) {
    Map<TopicPartition, Long> backlog = new HashMap<>();
    for (TopicPartition tp : latest.partitions()) {
      long from = start.getOrDefault(tp, latest.get(tp));
      backlog.put(tp, Math.max(0, latest.get(tp) - from));
    }
    Map<TopicPartition, Long> take = new HashMap<>(backlog);
    if (maxOffsets > 0) {
      Map<TopicPartition, Long> byRows = share(backlog, maxOffsets, tp -> 1.0);
      take.replaceAll((tp, n) -> Math.min(n, byRows.get(tp)));
    }
    if (maxBytes > 0) {
      Map<TopicPartition, Long> byBytes = share(backlog, maxBytes,
          tp -> Math.max(1.0, avgRecordBytes.getOrDefault(tp, 1.0)));
      long total = 0;
      for (long v : byBytes.values()) {
        total += v;
      }
      if (total == 0) {
        // the next record is bigger than the whole budget: admit one record so the query progresses
        TopicPartition biggest = largest(backlog);
        if (biggest != null) {
          byBytes.put(biggest, 1L);
        }
      }
      take.replaceAll((tp, n) -> Math.min(n, byBytes.getOrDefault(tp, 0L)));
    }
    Map<TopicPartition, Long> end = new HashMap<>();
    for (TopicPartition tp : latest.partitions()) {
      long from = start.getOrDefault(tp, latest.get(tp));
      end.put(tp, from + take.get(tp));
    }
    return PartitionOffsets.of(end);
  }

  /**
   * Shares {@code budget} (in units of {@code weight} per offset) over the backlogs in proportion to
   * each backlog's weighted size. Returns offsets per partition.
   */
  private static Map<TopicPartition, Long> share(Map<TopicPartition, Long> backlog, long budget,
      java.util.function.ToDoubleFunction<TopicPartition> weight) {
    double totalWeighted = 0;
    for (Map.Entry<TopicPartition, Long> e : backlog.entrySet()) {
      totalWeighted += e.getValue() * weight.applyAsDouble(e.getKey());
    }
    Map<TopicPartition, Long> out = new HashMap<>();
    if (totalWeighted <= budget) {
      out.putAll(backlog);
      return out;
    }
    double usedUnits = 0;
    for (Map.Entry<TopicPartition, Long> e : backlog.entrySet()) {
      double w = weight.applyAsDouble(e.getKey());
      double shareUnits = budget * (e.getValue() * w / totalWeighted);
      long n = Math.min(e.getValue(), (long) Math.floor(shareUnits / w));
      out.put(e.getKey(), n);
      usedUnits += n * w;
    }
    // hand out what rounding left over, one offset at a time, largest remaining backlog first
    boolean progress = true;
    while (progress) {
      progress = false;
      TopicPartition best = null;
      long bestLeft = 0;
      for (Map.Entry<TopicPartition, Long> e : backlog.entrySet()) {
        long left = e.getValue() - out.get(e.getKey());
        if (left > bestLeft && usedUnits + weight.applyAsDouble(e.getKey()) <= budget) {
          best = e.getKey();
          bestLeft = left;
        }
      }
      if (best != null) {
        out.put(best, out.get(best) + 1);
        usedUnits += weight.applyAsDouble(best);
        progress = true;
      }
    }
    return out;
  }

  private static TopicPartition largest(Map<TopicPartition, Long> backlog) {
    TopicPartition best = null;
    long max = 0;
    for (Map.Entry<TopicPartition, Long> e : backlog.entrySet()) {
      if (e.getValue() > max || (e.getValue() == max && max > 0 && best != null
          && PartitionOffsets.ORDER.compare(e.getKey(), best) < 0)) {
        best = e.getKey();
        max = e.getValue();
      }
    }
    return best;
  }
}
