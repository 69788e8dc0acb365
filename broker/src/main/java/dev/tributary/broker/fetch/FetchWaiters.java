package dev.tributary.broker.fetch;

import dev.tributary.broker.partition.AppendListener;
import dev.tributary.broker.partition.PartitionId;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Long polling: fetches that found fewer than {@code min.bytes} wait here until appends to their
 * partitions bring that many bytes, or {@code max.wait.ms} passes. Either way the fetch is completed
 * exactly once (it reads again and responds). Appends call {@link #onAppend}; the timeout runs on the
 * {@link FetchTimer}. Owned by {@link FetchService}.
 */
final class FetchWaiters implements AppendListener {

    private final FetchTimer timer;
    private final ConcurrentMap<PartitionId, Set<Waiter>> byPartition = new ConcurrentHashMap<>();

    FetchWaiters(FetchTimer timer) {
        this.timer = timer;
    }

    private final class Waiter {
        final Collection<PartitionId> partitions;
        final long minBytes;
        final AtomicLong bytes;
        final Runnable completion;
        final AtomicBoolean done = new AtomicBoolean();
        volatile FetchTimer.Timeout timeout;

        Waiter(Collection<PartitionId> partitions, long minBytes, long bytesSoFar, Runnable completion) {
            this.partitions = partitions;
            this.minBytes = minBytes;
            this.bytes = new AtomicLong(bytesSoFar);
            this.completion = completion;
        }

        void complete() {
            if (done.compareAndSet(false, true)) {
                for (PartitionId id : partitions) {
                    Set<Waiter> set = byPartition.get(id);
                    if (set != null) {
                        set.remove(this);
                    }
                }
                FetchTimer.Timeout t = timeout;
                if (t != null) {
                    t.cancel();
                }
                completion.run();
            }
        }
    }

    /**
     * Parks a fetch.
     *
     * @param bytesSoFar what the first read found
     * @param changedSinceRead checked after parking, to close the race with an append that happened
     *     between the first read and registration
     * @param completion reads again and responds; runs once, on an appending or scheduler thread
     */
    void park(
            Collection<PartitionId> partitions,
            long minBytes,
            long bytesSoFar,
            long maxWaitMs,
            BooleanSupplier changedSinceRead,
            Runnable completion) {
        Waiter w = new Waiter(partitions, minBytes, bytesSoFar, completion);
        for (PartitionId id : partitions) {
            byPartition.computeIfAbsent(id, k -> ConcurrentHashMap.newKeySet()).add(w);
        }
        w.timeout = timer.schedule(maxWaitMs, w::complete);
        if (w.done.get()) {
            w.timeout.cancel();
        }
        if (changedSinceRead.getAsBoolean()) {
            w.complete();
        }
    }

    @Override
    public void onAppend(PartitionId partition, int bytes) {
        Set<Waiter> set = byPartition.get(partition);
        if (set == null || set.isEmpty()) {
            return;
        }
        for (Waiter w : set) {
            if (w.bytes.addAndGet(bytes) >= w.minBytes) {
                w.complete();
            }
        }
    }

    /** Number of parked fetches. */
    int parked() {
        return (int)
                byPartition.values().stream().flatMap(Set::stream).distinct().count();
    }
}
