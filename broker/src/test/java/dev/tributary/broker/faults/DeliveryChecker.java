package dev.tributary.broker.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a fault test's clients saw, and the delivery rules it must satisfy. Pure bookkeeping: no I/O, no clock;
 * thread-safe, so producer callbacks and consumer threads may report at the same time.
 *
 * <p>Three kinds of observation:
 *
 * <ul>
 *   <li>{@link #acknowledged}: a producer callback reported {@code value} written at {@code (partition, offset)}.
 *   <li>{@link #readBack}: the verifying reader, which reads each partition once from its start, in the order it
 *       was read.
 *   <li>{@link #observed}: any other reader (a consumer group, say), which may legitimately read a record twice
 *       after a rebalance, so only its values count.
 * </ul>
 *
 * <p>The rules ({@link #problems()} lists every break, {@link #verify()} throws on the first ones):
 *
 * <ol>
 *   <li>No {@code (partition, offset)} is ever reported with two different values (acknowledged, read back or
 *       observed): a replica that diverged from its leader would show here.
 *   <li>Every acknowledged record is read back, exactly once, and the acknowledged records of a partition are read
 *       back in offset order.
 *   <li>No value is acknowledged twice, and none is read back twice (values are unique per send, so a repeat is a
 *       duplicate write, e.g. a retry the idempotent producer state did not catch).
 *   <li>The read-back offsets of a partition strictly increase.
 * </ol>
 */
public final class DeliveryChecker {
    /** Most problems {@link #verify()} names in its message. */
    private static final int SHOWN = 20;

    /** One record at a position of a partition. */
    public record Observation(int partition, long offset, String value) {}

    private final Map<Integer, Map<Long, String>> valueAt = new TreeMap<>();
    private final Map<Integer, Map<Long, String>> acked = new TreeMap<>();
    private final Map<Integer, List<Observation>> readBack = new TreeMap<>();
    private final List<String> conflicts = new ArrayList<>();
    private long observedCount;

    public synchronized void acknowledged(int partition, long offset, String value) {
        remember(partition, offset, value, "acknowledged");
        acked.computeIfAbsent(partition, p -> new TreeMap<>()).putIfAbsent(offset, value);
    }

    public synchronized void readBack(int partition, long offset, String value) {
        remember(partition, offset, value, "read back");
        readBack.computeIfAbsent(partition, p -> new ArrayList<>()).add(new Observation(partition, offset, value));
    }

    public synchronized void observed(int partition, long offset, String value) {
        remember(partition, offset, value, "observed");
        observedCount++;
    }

    public synchronized int acknowledgedCount() {
        return acked.values().stream().mapToInt(Map::size).sum();
    }

    /** Every acknowledged value (a connector test looks for each in its job's output). */
    public synchronized Set<String> acknowledgedValues() {
        Set<String> values = new HashSet<>();
        acked.values().forEach(m -> values.addAll(m.values()));
        return values;
    }

    /** The acknowledged offsets' end per partition (last acknowledged offset + 1). */
    public synchronized Map<Integer, Long> acknowledgedEnds() {
        Map<Integer, Long> ends = new TreeMap<>();
        acked.forEach((p, m) -> {
            if (!m.isEmpty()) {
                ends.put(p, ((TreeMap<Long, String>) m).lastKey() + 1);
            }
        });
        return ends;
    }

    public synchronized long observedCount() {
        return observedCount;
    }

    private void remember(int partition, long offset, String value, String how) {
        String before = valueAt.computeIfAbsent(partition, p -> new HashMap<>()).putIfAbsent(offset, value);
        if (before != null && !before.equals(value)) {
            conflicts.add("partition " + partition + " offset " + offset + " " + how + " as '" + value
                    + "' but seen before as '" + before + "'");
        }
    }

    /** Every break of the rules, in a stable order; empty when delivery was correct. */
    public synchronized List<String> problems() {
        List<String> problems = new ArrayList<>(conflicts);
        for (Map.Entry<Integer, Map<Long, String>> e : acked.entrySet()) {
            int partition = e.getKey();
            Map<String, Long> ackedOffsetOf = new HashMap<>();
            for (Map.Entry<Long, String> a : e.getValue().entrySet()) {
                Long other = ackedOffsetOf.putIfAbsent(a.getValue(), a.getKey());
                if (other != null) {
                    problems.add("partition " + partition + ": '" + a.getValue() + "' acknowledged at offsets " + other
                            + " and " + a.getKey());
                }
            }
            List<Observation> read = readBack.getOrDefault(partition, List.of());
            Map<String, Integer> timesRead = new HashMap<>();
            List<Long> ackedOffsetsInReadOrder = new ArrayList<>();
            long lastOffset = -1;
            for (Observation o : read) {
                if (o.offset() <= lastOffset) {
                    problems.add("partition " + partition + ": offset " + o.offset() + " read back after offset "
                            + lastOffset);
                }
                lastOffset = Math.max(lastOffset, o.offset());
                int n = timesRead.merge(o.value(), 1, Integer::sum);
                if (n == 2) {
                    problems.add("partition " + partition + ": '" + o.value() + "' read back more than once");
                }
                if (n == 1 && ackedOffsetOf.containsKey(o.value())) {
                    ackedOffsetsInReadOrder.add(ackedOffsetOf.get(o.value()));
                }
            }
            for (Map.Entry<Long, String> a : e.getValue().entrySet()) {
                if (!timesRead.containsKey(a.getValue())) {
                    problems.add("partition " + partition + ": acknowledged '" + a.getValue() + "' at offset "
                            + a.getKey() + " never read back (lost)");
                }
            }
            for (int i = 1; i < ackedOffsetsInReadOrder.size(); i++) {
                if (ackedOffsetsInReadOrder.get(i) < ackedOffsetsInReadOrder.get(i - 1)) {
                    problems.add("partition " + partition + ": acknowledged offset " + ackedOffsetsInReadOrder.get(i)
                            + " read back after acknowledged offset " + ackedOffsetsInReadOrder.get(i - 1)
                            + " (out of order)");
                }
            }
        }
        return problems;
    }

    /** Throws an {@link AssertionError} naming the first problems, if there are any. */
    public void verify() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new AssertionError(problems.size() + " delivery problem(s) among " + acknowledgedCount()
                    + " acknowledged records:\n  "
                    + String.join("\n  ", problems.subList(0, Math.min(SHOWN, problems.size()))));
        }
    }

    /** One line for a test's output: how much was checked. */
    public synchronized String summary() {
        int read = readBack.values().stream().mapToInt(List::size).sum();
        return acknowledgedCount() + " acknowledged, " + read + " read back, " + observedCount
                + " observed by other readers, over partitions " + acked.keySet();
    }
}
