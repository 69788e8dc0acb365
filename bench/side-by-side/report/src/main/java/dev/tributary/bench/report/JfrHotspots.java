package dev.tributary.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the broker for bench/results/side-by-side.md: {@code JfrHotspots FILE [TOP] [THREAD_PREFIX]}.
 * Prints CPU samples by top frame (self) and by any frame (inclusive), sampled allocation weight by class and by
 * allocating frame, and the stacks that blocked on monitors/parks or did slow socket/file I/O. Only threads whose
 * name starts with THREAD_PREFIX (default {@code tributary}) count, so JFR's own and the JIT's work stay out.
 */
public final class JfrHotspots {
    private JfrHotspots() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: JfrHotspots FILE.jfr [TOP] [THREAD_PREFIX]");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
        String prefix = args.length > 2 ? args[2] : "tributary";
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        Predicate<RecordedEvent> ours = e -> {
            if (!e.hasField("sampledThread") && !e.hasField("eventThread")) {
                return false;
            }
            var t = e.hasField("sampledThread") ? e.getThread("sampledThread") : e.getThread("eventThread");
            return t != null && t.getJavaName() != null && t.getJavaName().startsWith(prefix);
        };

        Map<String, Long> self = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> byThread = new HashMap<>();
        long samples = 0;
        Map<String, Long> allocByClass = new HashMap<>();
        Map<String, Long> allocBySite = new HashMap<>();
        long allocTotal = 0;
        Map<String, Long> blocked = new HashMap<>();
        Map<String, Long> blockedNanos = new HashMap<>();
        Map<String, Long> eventCounts = new HashMap<>();
        Map<Long, long[]> allocatedByThread = new HashMap<>(); // thread id -> {min, max} cumulative bytes

        for (RecordedEvent e : events) {
            String type = e.getEventType().getName();
            eventCounts.merge(type, 1L, Long::sum);
            if (type.equals("jdk.ThreadAllocationStatistics")) {
                var t = e.getThread("thread");
                if (t != null && t.getJavaName() != null && t.getJavaName().startsWith(prefix)) {
                    long a = e.getLong("allocated");
                    allocatedByThread.merge(t.getJavaThreadId(), new long[] {a, a}, (x, y) ->
                            new long[] {Math.min(x[0], y[0]), Math.max(x[1], y[1])});
                }
                continue;
            }
            if (!ours.test(e)) {
                continue;
            }
            RecordedStackTrace st = e.getStackTrace();
            switch (type) {
                case "jdk.ExecutionSample" -> {
                    samples++;
                    byThread.merge(threadGroup(e.getThread("sampledThread").getJavaName()), 1L, Long::sum);
                    if (st == null || st.getFrames().isEmpty()) {
                        continue;
                    }
                    self.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : st.getFrames()) {
                        String m = frame(f);
                        if (seen.add(m)) {
                            inclusive.merge(m, 1L, Long::sum);
                        }
                    }
                }
                case "jdk.ObjectAllocationSample" -> {
                    long w = e.getLong("weight");
                    allocTotal += w;
                    allocByClass.merge(e.getClass("objectClass").getName(), w, Long::sum);
                    allocBySite.merge(site(st), w, Long::sum);
                }
                case "jdk.JavaMonitorEnter",
                        "jdk.ThreadPark",
                        "jdk.SocketRead",
                        "jdk.SocketWrite",
                        "jdk.FileWrite",
                        "jdk.FileRead",
                        "jdk.FileForce" -> {
                    String key = type.substring(4) + " @ " + site(st);
                    blocked.merge(key, 1L, Long::sum);
                    blockedNanos.merge(key, e.getDuration().toNanos(), Long::sum);
                }
                default -> {
                    // other events only count in the totals
                }
            }
        }

        System.out.printf(
                Locale.ROOT,
                "JFR %s: %d events; %d CPU samples on %s* threads%n",
                file,
                events.size(),
                samples,
                prefix);
        printTop("CPU samples by thread", byThread, samples, top);
        printTop("CPU samples, self (top frame)", self, samples, top);
        printTop("CPU samples, inclusive (any frame)", inclusive, samples, top);
        long exact =
                allocatedByThread.values().stream().mapToLong(x -> x[1] - x[0]).sum();
        System.out.printf(
                Locale.ROOT,
                "%nallocated by %s* threads during the recording: %.1f MiB (ThreadAllocationStatistics; "
                        + "threads that started after the first chunk count from their first event)%n",
                prefix,
                exact / 1048576.0);
        System.out.printf(
                Locale.ROOT, "%nsampled allocation: %.1f MiB (JFR's weight estimate)%n", allocTotal / 1048576.0);
        printTop("allocation by class (MiB)", mib(allocByClass), allocTotal / 1048576.0, top);
        printTop("allocation by site (MiB)", mib(allocBySite), allocTotal / 1048576.0, top);
        System.out.printf(Locale.ROOT, "%n== blocking over JFR's threshold (count, total ms) by site%n");
        blocked.entrySet().stream()
                .sorted((a, b) -> Long.compare(blockedNanos.get(b.getKey()), blockedNanos.get(a.getKey())))
                .limit(top)
                .forEach(en -> System.out.printf(
                        Locale.ROOT,
                        "  %6d %9.1f  %s%n",
                        en.getValue(),
                        Duration.ofNanos(blockedNanos.get(en.getKey())).toNanos() / 1e6,
                        en.getKey()));
    }

    private static Map<String, Long> mib(Map<String, Long> bytes) {
        Map<String, Long> m = new HashMap<>();
        bytes.forEach((k, v) -> m.put(k, v));
        return m;
    }

    private static void printTop(String title, Map<String, Long> counts, double total, int top) {
        boolean bytes = title.contains("MiB");
        System.out.printf(Locale.ROOT, "%n== %s%n", title);
        counts.entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .limit(top)
                .forEach(en -> {
                    double v = bytes ? en.getValue() / 1048576.0 : en.getValue();
                    System.out.printf(
                            Locale.ROOT, "  %9.1f %5.1f%%  %s%n", v, total == 0 ? 0 : 100.0 * v / total, en.getKey());
                });
    }

    /** Network threads are numbered; group "tributary-network-0" and "-1" together. */
    private static String threadGroup(String name) {
        return name.replaceAll("-\\d+$", "-N");
    }

    private static String frame(RecordedFrame f) {
        RecordedMethod m = f.getMethod();
        return m.getType().getName() + "." + m.getName();
    }

    /** The innermost frame in our code (dev.tributary), plus the frame it called, as the allocation/blocking site. */
    private static String site(RecordedStackTrace st) {
        if (st == null || st.getFrames().isEmpty()) {
            return "?";
        }
        List<RecordedFrame> frames = st.getFrames();
        for (int i = 0; i < frames.size(); i++) {
            String f = frame(frames.get(i));
            if (f.startsWith("dev.tributary")) {
                String callee = i > 0 ? frame(frames.get(i - 1)) : "";
                return f + ":" + frames.get(i).getLineNumber() + (callee.isEmpty() ? "" : " -> " + callee);
            }
        }
        return frame(frames.get(0));
    }
}
