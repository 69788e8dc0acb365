package dev.tributary.spark.offsets;

import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;

/**
 * What the filters on {@code partition}, {@code offset} and {@code timestamp} allow a scan to skip.
 * Pure logic; built by {@link #of(Filter[])} from the filters Spark pushes down.
 *
 * <p>Partition and offset bounds are exact, so those filters need no re-check after the scan.
 * Timestamp bounds become offsets through the broker's time index (ListOffsets by timestamp): the lower
 * bound maps to the first offset whose timestamp is >= it, which is exact; the upper bound maps to the
 * first offset whose timestamp is >= it, which cuts correctly only when timestamps do not decrease
 * within a partition (LogAppendTime topics, or one producer with a monotonic clock). Timestamp filters
 * are therefore always evaluated again after the scan, and {@code timestampPushDown=lower} turns the
 * upper-bound cut off for topics whose producers' clocks disagree.
 *
 * <p>Timestamps are in milliseconds; bounds are half-open {@code [from, until)}.
 */
public final class FilterBounds implements Serializable {
    public static final String PARTITION = "partition";
    public static final String OFFSET = "offset";
    public static final String TIMESTAMP = "timestamp";

    private Set<Integer> partitions; // null = all
    private int partitionFloor = 0;
    private int partitionCeiling = Integer.MAX_VALUE; // exclusive
    private long offsetFrom = 0;
    private long offsetUntil = Long.MAX_VALUE;
    private long timestampFrom = Long.MIN_VALUE;
    private long timestampUntil = Long.MAX_VALUE;
    private final List<Filter> pushed = new ArrayList<>();
    private final List<Filter> postScan = new ArrayList<>();

    private FilterBounds() {}

    public static FilterBounds none() {
        return new FilterBounds();
    }

    public static FilterBounds of(Filter[] filters) {
        FilterBounds b = new FilterBounds();
        for (Filter f : filters) {
            b.add(f);
        }
        return b;
    }

    private void add(Filter f) {
        if (f instanceof And and) {
            // both sides must hold, so each side is pushed or left to Spark on its own
            add(and.left());
            add(and.right());
            return;
        }
        if (!apply(f)) {
            postScan.add(f);
        }
    }

    /** @return true when the filter was understood (and recorded as pushed) */
    private boolean apply(Filter f) {
        if (f instanceof EqualTo eq) {
            if (PARTITION.equals(eq.attribute())) {
                if (!(eq.value() instanceof Integer p)) {
                    return false;
                }
                restrictPartitions(Set.of(p));
                return pushed(f);
            }
            return lower(eq.attribute(), eq.value(), true) && upper(eq.attribute(), eq.value(), true) && pushed(f);
        }
        if (f instanceof GreaterThan gt) {
            return lower(gt.attribute(), gt.value(), false) && pushed(f);
        }
        if (f instanceof GreaterThanOrEqual ge) {
            return lower(ge.attribute(), ge.value(), true) && pushed(f);
        }
        if (f instanceof LessThan lt) {
            return upper(lt.attribute(), lt.value(), false) && pushed(f);
        }
        if (f instanceof LessThanOrEqual le) {
            return upper(le.attribute(), le.value(), true) && pushed(f);
        }
        if (f instanceof In in && PARTITION.equals(in.attribute())) {
            Set<Integer> set = new TreeSet<>();
            for (Object v : in.values()) {
                if (!(v instanceof Integer i)) {
                    return false;
                }
                set.add(i);
            }
            restrictPartitions(set);
            return pushed(f);
        }
        return false;
    }

    private boolean pushed(Filter f) {
        pushed.add(f);
        if (TIMESTAMP.equals(f.references()[0])) {
            postScan.add(f); // see class javadoc: timestamps are re-checked
        }
        return true;
    }

    private boolean lower(String attr, Object value, boolean inclusive) {
        switch (attr) {
            case PARTITION -> {
                if (!(value instanceof Integer p)) {
                    return false;
                }
                partitionFloor = Math.max(partitionFloor, inclusive ? p : p + 1);
                return true;
            }
            case OFFSET -> {
                if (!(value instanceof Long || value instanceof Integer)) {
                    return false;
                }
                long v = ((Number) value).longValue();
                offsetFrom = Math.max(offsetFrom, inclusive ? v : v + 1);
                return true;
            }
            case TIMESTAMP -> {
                Long micros = micros(value);
                if (micros == null) {
                    return false;
                }
                // record timestamps are whole ms: ts*1000 >= t  <=>  ts >= ceil(t/1000); ts*1000 > t <=> ts >=
                // floor(t/1000)+1
                long ms = inclusive ? Math.floorDiv(micros + 999, 1000) : Math.floorDiv(micros, 1000) + 1;
                timestampFrom = Math.max(timestampFrom, ms);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean upper(String attr, Object value, boolean inclusive) {
        switch (attr) {
            case PARTITION -> {
                if (!(value instanceof Integer p)) {
                    return false;
                }
                partitionCeiling = Math.min(partitionCeiling, inclusive ? p + 1 : p);
                return true;
            }
            case OFFSET -> {
                if (!(value instanceof Long || value instanceof Integer)) {
                    return false;
                }
                long v = ((Number) value).longValue();
                offsetUntil = Math.min(offsetUntil, inclusive ? v + 1 : v);
                return true;
            }
            case TIMESTAMP -> {
                Long micros = micros(value);
                if (micros == null) {
                    return false;
                }
                // ts*1000 <= t <=> ts <= floor(t/1000); ts*1000 < t <=> ts < ceil(t/1000)
                long ms = inclusive ? Math.floorDiv(micros, 1000) + 1 : Math.floorDiv(micros + 999, 1000);
                timestampUntil = Math.min(timestampUntil, ms);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void restrictPartitions(Set<Integer> set) {
        Set<Integer> next = new TreeSet<>(set);
        if (partitions != null) {
            next.retainAll(partitions);
        }
        partitions = next;
    }

    private static Long micros(Object v) {
        if (v instanceof Timestamp ts) {
            return Math.multiplyExact(Math.floorDiv(ts.getTime(), 1000), 1_000_000L) + ts.getNanos() / 1000;
        }
        if (v instanceof Instant i) {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
        }
        return null;
    }

    public boolean includesPartition(int p) {
        return p >= partitionFloor && p < partitionCeiling && (partitions == null || partitions.contains(p));
    }

    public long offsetFrom() {
        return offsetFrom;
    }

    public long offsetUntil() {
        return offsetUntil;
    }

    public boolean hasTimestampFrom() {
        return timestampFrom != Long.MIN_VALUE;
    }

    public long timestampFrom() {
        return timestampFrom;
    }

    public boolean hasTimestampUntil() {
        return timestampUntil != Long.MAX_VALUE;
    }

    public long timestampUntil() {
        return timestampUntil;
    }

    public Filter[] pushed() {
        return pushed.toArray(new Filter[0]);
    }

    /** Filters Spark must still evaluate on the rows returned. */
    public Filter[] postScan() {
        return postScan.toArray(new Filter[0]);
    }

    public boolean isEmpty() {
        return pushed.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (partitions != null || partitionFloor > 0 || partitionCeiling != Integer.MAX_VALUE) {
            sb.append("partition in ")
                    .append(partitions == null ? "" : partitions + " ∩ ")
                    .append("[")
                    .append(partitionFloor)
                    .append(",")
                    .append(partitionCeiling == Integer.MAX_VALUE ? "∞" : partitionCeiling)
                    .append(") ");
        }
        if (offsetFrom > 0 || offsetUntil != Long.MAX_VALUE) {
            sb.append("offset in [")
                    .append(offsetFrom)
                    .append(",")
                    .append(offsetUntil == Long.MAX_VALUE ? "∞" : offsetUntil)
                    .append(") ");
        }
        if (hasTimestampFrom() || hasTimestampUntil()) {
            sb.append("timestamp in [")
                    .append(hasTimestampFrom() ? timestampFrom : "-∞")
                    .append(",")
                    .append(hasTimestampUntil() ? timestampUntil : "∞")
                    .append(") ");
        }
        return sb.toString().trim();
    }
}
