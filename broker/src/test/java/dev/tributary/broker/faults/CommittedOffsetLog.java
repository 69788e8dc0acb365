package dev.tributary.broker.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The committed offsets a consumer group showed, per partition, and the rule they must keep: a committed offset
 * never goes backwards, and once committed it never disappears (a coordinator that lost the group's offsets
 * would hand a new member no offset, and the member would restart from {@code auto.offset.reset}). Pure and
 * thread-safe.
 */
public final class CommittedOffsetLog {
    private final Map<Integer, Long> highest = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private long reports;

    /**
     * The group's committed offset of {@code partition} as some answer showed it ({@code null}: no committed
     * offset). {@code source} names the answer in a problem.
     */
    public synchronized void committed(int partition, Long offset, String source) {
        reports++;
        Long before = highest.get(partition);
        if (offset == null) {
            if (before != null) {
                problems.add("partition " + partition + ": no committed offset (" + source + ") after " + before);
            }
            return;
        }
        if (before != null && offset < before) {
            problems.add("partition " + partition + ": committed offset went back from " + before + " to " + offset
                    + " (" + source + ")");
            return;
        }
        highest.put(partition, offset);
    }

    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    public synchronized Map<Integer, Long> highest() {
        return Map.copyOf(highest);
    }

    public synchronized long reports() {
        return reports;
    }

    /** Throws an {@link AssertionError} naming the problems, if there are any. */
    public void verify() {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new AssertionError(p.size() + " committed-offset problem(s):\n  "
                    + String.join("\n  ", p.subList(0, Math.min(20, p.size()))));
        }
    }
}
