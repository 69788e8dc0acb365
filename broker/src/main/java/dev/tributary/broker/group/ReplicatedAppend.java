package dev.tributary.broker.group;

import dev.tributary.broker.append.AppendResult;
import dev.tributary.broker.errors.NotEnoughReplicasException;
import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.replication.AckStatus;
import dev.tributary.broker.replication.AckWaiters;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A cluster node's writes to an {@code __consumer_offsets} partition it leads, with {@code acks=all} semantics:
 * the batch is appended under the leader epoch the coordinator was loaded under and the call returns once the high
 * watermark covers it ({@link AckWaiters}, as a produce with {@code acks=all}), so an acknowledged commit survives
 * the leader's death. It fails, and the coordinator answers {@code COORDINATOR_NOT_AVAILABLE} (clients look the
 * coordinator up again and retry), when this node no longer leads under that epoch, when the ISR is below
 * {@code min.insync.replicas}, or when the ISR has not replicated the batch within {@code offsets.commit.timeout.ms}.
 * A batch that failed that way may still be replicated later; it is newer than what the coordinator holds, so a
 * group's offsets never go back because of it.
 *
 * <p>The caller's thread waits for the followers (a few milliseconds of fetch round trips while the ISR is
 * healthy): one of the group writer threads ({@code GroupService}), never a request handler, which must stay
 * free to serve those fetches; or the scheduler's, for writes of the coordinator's timeouts. The coordinator
 * calls it holding only its write lock ({@link GroupTable}), so the coordinator's memory changes in log order
 * and only after the ISR has the change.
 */
final class ReplicatedAppend implements ConsumerOffsetsTopic.Appender {

    private final Partition partition;
    private final int leaderEpoch;
    private final AckWaiters waiters;
    private final long timeoutMs;

    ReplicatedAppend(Partition partition, int leaderEpoch, AckWaiters waiters, long timeoutMs) {
        this.partition = partition;
        this.leaderEpoch = leaderEpoch;
        this.waiters = waiters;
        this.timeoutMs = timeoutMs;
    }

    /** True while this node leads the partition under the epoch the coordinator was loaded under. */
    boolean stillLeads() {
        return partition.isLeader() && partition.leaderEpoch() == leaderEpoch;
    }

    @Override
    public void append(ByteBuffer batch) throws IOException {
        if (!stillLeads()) {
            throw new NotLeaderOrFollowerException("Node no longer leads " + partition.id() + " under epoch "
                    + leaderEpoch + " (now epoch " + partition.leaderEpoch() + ")");
        }
        if (partition.checkAppend(-1) == AckStatus.NOT_ENOUGH_REPLICAS) {
            throw new NotEnoughReplicasException(
                    "The ISR of " + partition.id() + " " + partition.isr() + " is smaller than min.insync.replicas");
        }
        AppendResult r = partition.append(batch);
        CompletableFuture<RuntimeException> done = new CompletableFuture<>();
        waiters.await(partition, r.lastOffset() + 1, leaderEpoch, timeoutMs, done::complete);
        RuntimeException error;
        try {
            // the waiter answers by its own timeout; the margin only guards against a lost answer
            error = done.get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the ISR of " + partition.id());
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("no answer from the ISR of " + partition.id() + " for offset " + r.lastOffset(), e);
        }
        if (error != null) {
            throw error;
        }
    }
}
