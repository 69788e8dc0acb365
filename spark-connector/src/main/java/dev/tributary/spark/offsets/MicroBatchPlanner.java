package dev.tributary.spark.offsets;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Decides, at each trigger, where the next micro-batch ends: the driver-side algorithm of the
 * streaming source. Pure logic with per-query state (the ending caps, the time of the last batch, the
 * latest offsets seen); the broker is asked through {@link OffsetLookup} and record sizes through
 * {@link RecordSizes}, so it is tested with plain maps.
 *
 * <p>At each trigger, from the previous batch's end ({@code start}) and the subscription's partitions:
 * <ol>
 *   <li>partitions of {@code start} that are gone, and partitions whose log now ends before their
 *       position, go to {@link DataLossPolicy};</li>
 *   <li>partitions new to the query start at their log start offset;</li>
 *   <li>the latest offsets are held back by {@link EndingCaps};</li>
 *   <li>if nothing is left and the ending caps are all reached, the query is at its end;</li>
 *   <li>otherwise {@link AdmissionPlanner} decides whether to run a batch now and how much it admits.</li>
 * </ol>
 */
public final class MicroBatchPlanner {
    /** What the next trigger does. */
    public enum Action {
        /** Run a batch ending at {@link Next#end()}. */
        RUN,
        /** No batch now: nothing new, or fewer offsets than {@code minOffsetsPerTrigger} too early. */
        WAIT,
        /** Every partition has reached its ending cap: stop the query. */
        END
    }

    /** The decision for one trigger; {@code end} is set for {@link Action#RUN} only. */
    public record Next(Action action, PartitionOffsets end) {
        static final Next WAIT = new Next(Action.WAIT, null);
        static final Next END = new Next(Action.END, null);
    }

    /** Estimates bytes per record per partition, for byte limits. */
    @FunctionalInterface
    public interface RecordSizes {
        /** @return average record bytes of the partitions with records in {@code [from, until)} */
        Map<TopicPartition, Double> estimate(PartitionOffsets from, PartitionOffsets until);
    }

    private final DataLossPolicy dataLoss;
    private final EndingCaps caps;
    private long lastBatchMs;
    private PartitionOffsets latestSeen = PartitionOffsets.empty();

    /** @param nowMs the query's start: {@code maxTriggerDelay} counts from it until the first batch */
    public MicroBatchPlanner(DataLossPolicy dataLoss, EndingCaps caps, long nowMs) {
        this.dataLoss = dataLoss;
        this.caps = caps;
        this.lastBatchMs = nowMs;
    }

    /**
     * @param start the previous batch's end
     * @param partitions the subscription's partitions now
     * @param admission the limits of this trigger
     */
    public Next next(
            PartitionOffsets start,
            List<TopicPartition> partitions,
            OffsetLookup lookup,
            AdmissionPlanner admission,
            long nowMs,
            RecordSizes sizes) {
        for (TopicPartition tp : start.partitions()) {
            if (!partitions.contains(tp)) {
                dataLoss.partitionGone(tp);
            }
        }
        PartitionOffsets latest = PartitionOffsets.of(lookup.latest(partitions));
        latestSeen = latest;
        PartitionOffsets from = from(start, partitions, latest, lookup);
        caps.resolve(partitions, lookup);
        PartitionOffsets capped = caps.cap(latest, from);

        long available = 0;
        for (TopicPartition tp : capped.partitions()) {
            available += capped.get(tp) - from.get(tp);
        }
        if (available == 0 && caps.endReached(partitions, from)) {
            return Next.END;
        }
        if (!admission.shouldRunBatch(available, lastBatchMs, nowMs)) {
            return Next.WAIT;
        }
        Map<TopicPartition, Double> recordBytes =
                admission.limitsBytes() && available > 0 ? sizes.estimate(from, capped) : Map.of();
        PartitionOffsets end = admission.limit(from, capped, recordBytes);
        if (end.equals(start)) {
            return Next.WAIT;
        }
        lastBatchMs = nowMs;
        return new Next(Action.RUN, end);
    }

    /** Where each partition of {@code partitions} starts reading in this trigger. */
    private PartitionOffsets from(
            PartitionOffsets start,
            Collection<TopicPartition> partitions,
            PartitionOffsets latest,
            OffsetLookup lookup) {
        List<TopicPartition> added =
                partitions.stream().filter(tp -> !start.contains(tp)).toList();
        Map<TopicPartition, Long> addedStart = added.isEmpty() ? Map.of() : lookup.earliest(added);
        Map<TopicPartition, Long> from = new HashMap<>();
        for (TopicPartition tp : partitions) {
            from.put(
                    tp,
                    start.contains(tp)
                            ? dataLoss.offsetsWentBackwards(tp, start.get(tp), latest.get(tp))
                            : addedStart.get(tp));
        }
        return PartitionOffsets.of(from);
    }

    /** The latest offsets of the last trigger, for progress reports. */
    public PartitionOffsets latestSeen() {
        return latestSeen;
    }

    /**
     * The source metrics of a progress report: {@code offsetsLost} (see {@link DataLossPolicy}) and, once a
     * batch has been consumed, how far each partition's consumed position is behind the latest offsets
     * seen (minimum, maximum and average over partitions).
     *
     * @param consumed the end of the last consumed batch, or null
     */
    public Map<String, String> metrics(PartitionOffsets consumed) {
        Map<String, String> m = new HashMap<>();
        m.put("offsetsLost", Long.toString(dataLoss.lostOffsets()));
        if (consumed == null || latestSeen.size() == 0) {
            return m;
        }
        long min = Long.MAX_VALUE;
        long max = 0;
        long sum = 0;
        for (TopicPartition tp : latestSeen.partitions()) {
            long behind = Math.max(0, latestSeen.get(tp) - consumed.getOrDefault(tp, 0));
            min = Math.min(min, behind);
            max = Math.max(max, behind);
            sum += behind;
        }
        m.put("minOffsetsBehindLatest", Long.toString(min));
        m.put("maxOffsetsBehindLatest", Long.toString(max));
        m.put("avgOffsetsBehindLatest", Double.toString((double) sum / latestSeen.size()));
        return m;
    }
}
