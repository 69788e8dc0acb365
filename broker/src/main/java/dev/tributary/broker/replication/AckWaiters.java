package dev.tributary.broker.replication;

import dev.tributary.broker.errors.NotEnoughReplicasAfterAppendException;
import dev.tributary.broker.errors.ReplicationTimeoutException;
import dev.tributary.broker.partition.AppendListener;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@code acks=all} produces written by a leader and waiting for the high watermark to cover them (Kafka's
 * delayed produce). Each waiter is answered exactly once: complete (null), {@code NOT_ENOUGH_REPLICAS_AFTER_APPEND}
 * when the ISR shrank below {@code min.insync.replicas} meanwhile, {@code NOT_LEADER_OR_FOLLOWER} when the
 * leadership moved, or {@code REQUEST_TIMED_OUT} when the request's timeout passed. Woken by the partition's
 * commit events; runs the answer on the thread that woke it.
 */
public final class AckWaiters implements AppendListener {
    private final Scheduler scheduler;
    private final Map<PartitionId, List<Waiter>> waiting = new ConcurrentHashMap<>();

    public AckWaiters(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    private final class Waiter {
        final Partition partition;
        final long requiredEndOffset;
        final int epoch;
        final Consumer<RuntimeException> done;
        final AtomicBoolean answered = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        Waiter(Partition partition, long requiredEndOffset, int epoch, Consumer<RuntimeException> done) {
            this.partition = partition;
            this.requiredEndOffset = requiredEndOffset;
            this.epoch = epoch;
            this.done = done;
        }

        /** Answers if it can; returns true once answered. */
        boolean check() {
            if (answered.get()) {
                return true;
            }
            RuntimeException error;
            try {
                AckStatus status = partition.acksAllStatus(requiredEndOffset, epoch);
                if (status == AckStatus.PENDING) {
                    return false;
                }
                error = status == AckStatus.NOT_ENOUGH_REPLICAS_AFTER_APPEND
                        ? new NotEnoughReplicasAfterAppendException("The ISR of " + partition.id()
                                + " shrank below min.insync.replicas before offset " + (requiredEndOffset - 1)
                                + " was replicated")
                        : null;
            } catch (RuntimeException e) {
                error = e;
            }
            answer(error);
            return true;
        }

        void answer(RuntimeException error) {
            if (answered.compareAndSet(false, true)) {
                ScheduledFuture<?> t = timeout;
                if (t != null) {
                    t.cancel(false);
                }
                done.accept(error);
            }
        }
    }

    /**
     * Calls {@code done} once the high watermark of {@code partition} reaches {@code requiredEndOffset} under
     * leader epoch {@code epoch} (at once if it already has), or with the error that ends the wait.
     */
    public void await(
            Partition partition, long requiredEndOffset, int epoch, long timeoutMs, Consumer<RuntimeException> done) {
        Waiter w = new Waiter(partition, requiredEndOffset, epoch, done);
        if (w.check()) {
            return;
        }
        List<Waiter> list = waiting.computeIfAbsent(partition.id(), k -> new ArrayList<>());
        synchronized (list) {
            list.add(w);
        }
        w.timeout = scheduler.scheduleOnce("acks-all-timeout", Math.max(1, timeoutMs), () -> {
            w.answer(new ReplicationTimeoutException("Offset " + (requiredEndOffset - 1) + " of " + partition.id()
                    + " was not replicated to the ISR within " + timeoutMs + " ms"));
            remove(partition.id(), w);
        });
        w.check(); // the high watermark may have moved before the waiter was listed
    }

    private void remove(PartitionId id, Waiter w) {
        List<Waiter> list = waiting.get(id);
        if (list != null) {
            synchronized (list) {
                list.remove(w);
            }
        }
    }

    @Override
    public void onAppend(PartitionId id, int bytes) {
        List<Waiter> list = waiting.get(id);
        if (list == null) {
            return;
        }
        List<Waiter> ready = new ArrayList<>();
        synchronized (list) {
            if (list.isEmpty()) {
                return;
            }
            list.removeIf(w -> {
                if (w.answered.get()) {
                    return true;
                }
                ready.add(w);
                return false;
            });
        }
        for (Waiter w : ready) {
            if (w.check()) {
                remove(id, w);
            }
        }
    }

    /** Produces waiting now (for tests and metrics). */
    public int waiting() {
        int n = 0;
        for (List<Waiter> list : waiting.values()) {
            synchronized (list) {
                n += list.size();
            }
        }
        return n;
    }
}
