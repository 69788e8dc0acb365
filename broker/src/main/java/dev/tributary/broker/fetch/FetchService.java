package dev.tributary.broker.fetch;

import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.replication.ReplicationThrottle;
import dev.tributary.broker.scheduler.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Serves a fetch from first read to answer: reads the partitions, then either answers at once or parks
 * the fetch in {@link FetchWaiters} until appends bring {@code min.bytes} or {@code max.wait.ms} passes,
 * and then reads again and answers. The protocol adapter only translates its wire messages into
 * {@link FetchPartitionRequest}s and {@link FetchParams} and the {@link FetchedPartition}s back.
 *
 * <p>A fetch answers at once when it may not wait ({@code max.wait.ms} of 0), when the first read has
 * {@code min.bytes} already, when a partition failed (the client must see the error without delay, as
 * in Kafka), or when it names no partition (e.g. a consumer closing its fetch session).
 *
 * <p>Threads: {@link #fetch} runs on a request handler thread; a parked fetch is answered exactly once,
 * on the thread of the append that filled it or on the timer's thread. Records are never copied: a
 * read yields zero-copy regions, and a re-read builds new ones over the same files.
 */
public final class FetchService {
    private final PartitionManager partitions;
    private final FetchReader reader;
    private final FetchWaiters waiters;
    private final FetchWaiters replicaWaiters;
    private final LongSupplier clock;

    private FetchService(
            PartitionManager partitions, FetchTimer timer, LongSupplier clock, ReplicationThrottle throttle) {
        this.partitions = partitions;
        this.reader = new FetchReader(partitions, throttle);
        this.waiters = new FetchWaiters(timer);
        this.replicaWaiters = new FetchWaiters(timer);
        this.clock = clock;
    }

    /** A fetch service whose parked fetches are woken by appends to {@code partitions}. */
    public static FetchService start(PartitionManager partitions, FetchTimer timer) {
        return start(partitions, timer, new ReplicationThrottle());
    }

    /** As {@link #start(PartitionManager, FetchTimer)}, holding followers' reads back by {@code throttle}. */
    public static FetchService start(PartitionManager partitions, FetchTimer timer, ReplicationThrottle throttle) {
        FetchService service = new FetchService(partitions, timer, System::currentTimeMillis, throttle);
        partitions.addCommitListener(service.waiters);
        partitions.addAppendListener(service.replicaWaiters);
        return service;
    }

    /** As {@link #start(PartitionManager, FetchTimer)}, with timeouts on the broker's scheduler. */
    public static FetchService start(PartitionManager partitions, Scheduler scheduler, ReplicationThrottle throttle) {
        return start(
                partitions,
                (delayMs, task) -> {
                    ScheduledFuture<?> f = scheduler.scheduleOnce("fetch-wait", delayMs, task);
                    return () -> f.cancel(false);
                },
                throttle);
    }

    /**
     * Reads {@code requests} and calls {@code answer} once with what was read: now, or later from a
     * parked state (see the class comment).
     */
    public void fetch(
            List<FetchPartitionRequest> requests, FetchParams params, Consumer<List<FetchedPartition>> answer) {
        List<FetchedPartition> read = reader.read(requests, params, clock.getAsLong());
        long bytes = FetchReader.bytes(read);
        if (answersAtOnce(params, bytes, read)) {
            answer.accept(read);
            return;
        }
        List<PartitionId> ids = new ArrayList<>(read.size());
        boolean follower = params.fromFollower();
        long[] positions = new long[read.size()];
        for (int i = 0; i < read.size(); i++) {
            ids.add(read.get(i).id());
            // a throttled replica's records are there already: only the throttle's window may release them
            positions[i] = follower
                    ? (read.get(i).throttled()
                            ? Long.MAX_VALUE
                            : requests.get(i).fetchOffset())
                    : read.get(i).highWatermark();
        }
        (follower ? replicaWaiters : waiters)
                .park(
                        ids,
                        params.minBytes(),
                        bytes,
                        params.maxWaitMs(),
                        () -> changedSince(ids, positions, follower),
                        () -> answer.accept(reader.read(requests, params, clock.getAsLong())));
    }

    /** Whether a fetch whose first read found {@code bytes} answers without waiting. */
    static boolean answersAtOnce(FetchParams params, long bytes, List<FetchedPartition> read) {
        if (params.maxWaitMs() <= 0 || bytes >= params.minBytes() || read.isEmpty()) {
            return true;
        }
        for (FetchedPartition f : read) {
            if (f.error() != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Closes the race with an append between the first read and parking: did any high watermark move (a
     * consumer's fetch), or does any log now end past the follower's position (a follower's fetch)?
     */
    private boolean changedSince(List<PartitionId> ids, long[] positions, boolean follower) {
        for (int i = 0; i < ids.size(); i++) {
            Partition p = partitions.get(ids.get(i));
            if (p == null || (follower ? p.logEndOffset() > positions[i] : p.highWatermark() != positions[i])) {
                return true;
            }
        }
        return false;
    }

    /** Number of parked fetches (for tests and metrics). */
    public int parked() {
        return waiters.parked() + replicaWaiters.parked();
    }
}
