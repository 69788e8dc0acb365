package dev.tributary.broker.fetch;

import dev.tributary.log.MutableClock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A {@link FetchTimer} that tests drive by hand: tasks run on the test's thread when {@link #advance}
 * moves the clock past their time. No threads, no sleeps.
 */
final class ManualTimer implements FetchTimer {
    private final MutableClock clock;
    private final List<Task> tasks = new ArrayList<>();
    private Runnable duringSchedule = () -> {};

    private static final class Task {
        final long dueMs;
        final Runnable job;
        boolean cancelled;

        Task(long dueMs, Runnable job) {
            this.dueMs = dueMs;
            this.job = job;
        }
    }

    ManualTimer(MutableClock clock) {
        this.clock = clock;
    }

    /** Runs {@code action} inside the next {@link #schedule} call, to play a race with the scheduling thread. */
    void duringNextSchedule(Runnable action) {
        this.duringSchedule = action;
    }

    @Override
    public Timeout schedule(long delayMs, Runnable job) {
        Task t = new Task(clock.millis() + delayMs, job);
        tasks.add(t);
        Runnable action = duringSchedule;
        duringSchedule = () -> {};
        action.run();
        return () -> t.cancelled = true;
    }

    /** Moves the clock and runs, in time order, every task due by then that was not cancelled. */
    void advance(long ms) {
        clock.advance(ms);
        List<Task> due = new ArrayList<>();
        for (Task t : tasks) {
            if (t.dueMs <= clock.millis()) {
                due.add(t);
            }
        }
        tasks.removeAll(due);
        due.sort(Comparator.comparingLong(t -> t.dueMs));
        for (Task t : due) {
            if (!t.cancelled) {
                t.job.run();
            }
        }
    }

    /** Tasks scheduled and neither run nor cancelled. */
    int pending() {
        return (int) tasks.stream().filter(t -> !t.cancelled).count();
    }
}
