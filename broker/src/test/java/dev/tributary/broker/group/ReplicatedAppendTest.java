package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tributary.broker.errors.NotLeaderOrFollowerException;
import dev.tributary.broker.errors.ReplicationTimeoutException;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.broker.replication.AckWaiters;
import dev.tributary.broker.replication.LeaderAndIsr;
import dev.tributary.broker.replication.ReplicationConfig;
import dev.tributary.broker.scheduler.Scheduler;
import dev.tributary.log.LogConfig;
import dev.tributary.log.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster coordinator's writes to the offsets partition it leads return only once the ISR has them: a real
 * leader partition on disk, its follower played by calls to {@code onFollowerFetch}, no sockets.
 */
class ReplicatedAppendTest {
    private static final int SELF = 1;
    private static final int FOLLOWER = 2;
    private static final int EPOCH = 3;
    private static final PartitionId OFFSETS_0 = new PartitionId(ConsumerOffsetsRecords.TOPIC, 0);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    private PartitionManager partitions;
    private Scheduler scheduler;
    private AckWaiters waiters;
    private Partition partition;

    @BeforeEach
    void setUp() {
        partitions = new PartitionManager(dir, LogConfig.defaults(), clock);
        scheduler = new Scheduler(1);
        waiters = new AckWaiters(scheduler);
        partitions.addCommitListener(waiters);
        partition = partitions.getOrCreate(OFFSETS_0, LogConfig.defaults());
        partition.becomeLeader(
                SELF,
                new LeaderAndIsr(SELF, EPOCH, List.of(SELF, FOLLOWER), Set.of(SELF, FOLLOWER), 0),
                new ReplicationConfig(30_000, 1),
                clock.millis(),
                (id, proposal) -> {});
    }

    @AfterEach
    void tearDown() throws Exception {
        scheduler.close();
        partitions.close();
    }

    private CompletableFuture<Void> commitInBackground(ReplicatedAppend append) {
        ConsumerOffsetsTopic store = new ConsumerOffsetsTopic(append, clock);
        return CompletableFuture.runAsync(() -> {
            try {
                store.storeOffsets("g", Map.of(new PartitionId("t", 0), new CommittedOffset(42, -1, "", 0)));
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    @Test
    void shouldReturnOnlyOnceTheFollowerHasTheCommit() {
        CompletableFuture<Void> commit = commitInBackground(new ReplicatedAppend(partition, EPOCH, waiters, 30_000));

        await("the commit is written and waits for the follower")
                .atMost(Duration.ofSeconds(10))
                .until(() -> waiters.waiting() == 1);
        assertThat(commit).isNotDone();
        assertThat(partition.logEndOffset()).isEqualTo(1);
        assertThat(partition.highWatermark()).isZero();

        partition.onFollowerFetch(FOLLOWER, partition.logEndOffset(), clock.millis());

        await("the commit returns").atMost(Duration.ofSeconds(10)).until(commit::isDone);
        assertThat(commit).isCompleted();
        assertThat(partition.highWatermark()).isEqualTo(1);
    }

    @Test
    void shouldFailTheCommitWhenTheLeadershipMovesBeforeTheFollowerHasIt() {
        CompletableFuture<Void> commit = commitInBackground(new ReplicatedAppend(partition, EPOCH, waiters, 30_000));
        await().atMost(Duration.ofSeconds(10)).until(() -> waiters.waiting() == 1);

        partition.becomeFollower(FOLLOWER, EPOCH + 1);

        await("the commit fails").atMost(Duration.ofSeconds(10)).until(commit::isDone);
        assertThat(commit)
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withRootCauseInstanceOf(NotLeaderOrFollowerException.class);
    }

    @Test
    void shouldWriteNothingOnceThisNodeNoLongerLeadsUnderTheLoadedEpoch() {
        ReplicatedAppend append = new ReplicatedAppend(partition, EPOCH, waiters, 30_000);
        partition.becomeFollower(FOLLOWER, EPOCH + 1);

        assertThat(append.stillLeads()).isFalse();
        assertThatThrownBy(() -> new ConsumerOffsetsTopic(append, clock)
                        .storeOffsets("g", Map.of(new PartitionId("t", 0), new CommittedOffset(42, -1, "", 0))))
                .isInstanceOf(NotLeaderOrFollowerException.class)
                .hasMessageContaining("epoch " + EPOCH);
        assertThat(partition.logEndOffset()).isZero();
    }

    @Test
    void shouldFailTheCommitWhenTheFollowerDoesNotFetchItWithinTheCommitTimeout() {
        ReplicatedAppend append = new ReplicatedAppend(partition, EPOCH, waiters, 200);

        assertThatThrownBy(() -> new ConsumerOffsetsTopic(append, clock)
                        .storeOffsets("g", Map.of(new PartitionId("t", 0), new CommittedOffset(42, -1, "", 0))))
                .isInstanceOf(ReplicationTimeoutException.class);
    }
}
