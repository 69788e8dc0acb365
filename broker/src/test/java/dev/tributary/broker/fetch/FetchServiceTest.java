package dev.tributary.broker.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.partition.Partition;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.broker.partition.PartitionManager;
import dev.tributary.log.LogConfig;
import dev.tributary.log.MutableClock;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch service's decisions, waiting and waking, on real partitions in a temporary directory, with a
 * manual clock and timer: no sockets, no sleeps.
 */
class FetchServiceTest {
    private static final int MAX_WAIT_MS = 500;
    private static final PartitionId P0 = new PartitionId("t", 0);
    private static final PartitionId P1 = new PartitionId("t", 1);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(1_000_000);
    private final ManualTimer timer = new ManualTimer(clock);
    private PartitionManager partitions;
    private FetchService fetches;
    private final List<List<FetchedPartition>> answers = new ArrayList<>();

    @BeforeEach
    void start() {
        partitions = new PartitionManager(dir, LogConfig.defaults(), clock);
        partitions.getOrCreate(P0, LogConfig.defaults());
        partitions.getOrCreate(P1, LogConfig.defaults());
        fetches = FetchService.start(partitions, timer);
    }

    @AfterEach
    void stop() throws Exception {
        partitions.close();
    }

    private static ByteBuffer batch(int valueSize) {
        return RecordBatchBuilder.create(Codec.NONE)
                .append(1_000_000, "k".getBytes(), new byte[valueSize])
                .build();
    }

    /** Appends one batch, returning its size in bytes. */
    private int append(PartitionId id, int valueSize) {
        ByteBuffer b = batch(valueSize);
        int size = b.remaining();
        partitions.get(id).append(b);
        return size;
    }

    private void fetch(int minBytes, long maxWaitMs, PartitionId... ids) {
        List<FetchPartitionRequest> requests = new ArrayList<>();
        for (PartitionId id : ids) {
            Partition p = partitions.get(id);
            requests.add(new FetchPartitionRequest(id, p == null ? 0 : p.logEndOffset(), 1 << 20));
        }
        fetches.fetch(requests, new FetchParams(minBytes, Integer.MAX_VALUE, maxWaitMs), answers::add);
    }

    private List<FetchedPartition> onlyAnswer() {
        assertThat(answers).hasSize(1);
        return answers.get(0);
    }

    @Test
    void shouldAnswerAtOnceWhenMinBytesAreAlreadyThere() {
        int size = append(P0, 100);
        fetches.fetch(
                List.of(new FetchPartitionRequest(P0, 0, 1 << 20)),
                new FetchParams(1, Integer.MAX_VALUE, MAX_WAIT_MS),
                answers::add);

        assertThat(onlyAnswer().get(0).records().length()).isEqualTo(size);
        assertThat(fetches.parked()).isZero();
        assertThat(timer.pending()).isZero();
    }

    @Test
    void shouldAnswerAnEmptyReadAtOnceWhenTheClientWillNotWait() {
        fetch(1, 0, P0);

        assertThat(onlyAnswer().get(0).records().isEmpty()).isTrue();
        assertThat(timer.pending()).isZero();
    }

    @Test
    void shouldAnswerAtOnceWhenAPartitionFails() {
        fetch(1, MAX_WAIT_MS, P0, new PartitionId("missing", 0));

        assertThat(onlyAnswer().get(1).error()).isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThat(fetches.parked()).isZero();
    }

    @Test
    void shouldAnswerAFetchOfNoPartitionAtOnce() {
        // a consumer closing its fetch session sends no partition and a long max.wait.ms
        fetch(1, MAX_WAIT_MS);

        assertThat(onlyAnswer()).isEmpty();
        assertThat(timer.pending()).isZero();
    }

    @Test
    void shouldParkAnEmptyReadAndAnswerWithARereadWhenAnAppendBringsMinBytes() {
        fetch(1, MAX_WAIT_MS, P0);
        assertThat(answers).isEmpty();
        assertThat(fetches.parked()).isEqualTo(1);
        assertThat(timer.pending()).isEqualTo(1);

        int size = append(P0, 100);

        FetchedPartition f = onlyAnswer().get(0);
        assertThat(f.records().length())
                .as("the answer is a new read, not the empty first one")
                .isEqualTo(size);
        assertThat(f.highWatermark()).isEqualTo(1);
        assertThat(fetches.parked()).isZero();
        assertThat(timer.pending()).as("the timeout is cancelled").isZero();
    }

    @Test
    void shouldStayParkedUntilAppendsAddUpToMinBytes() {
        int one = batch(1000).remaining();
        fetch(2 * one, MAX_WAIT_MS, P0);

        append(P0, 1000);
        assertThat(answers).as("half of min.bytes").isEmpty();
        assertThat(fetches.parked()).isEqualTo(1);

        append(P0, 1000);
        assertThat(onlyAnswer().get(0).records().length()).isEqualTo(2L * one);
    }

    @Test
    void shouldAnswerWithWhatIsThereWhenMaxWaitPasses() {
        fetch(1 << 20, MAX_WAIT_MS, P0);
        int size = append(P0, 100);

        timer.advance(MAX_WAIT_MS - 1);
        assertThat(answers).as("1 ms before max.wait.ms").isEmpty();

        timer.advance(1);
        assertThat(onlyAnswer().get(0).records().length()).isEqualTo(size);
        assertThat(fetches.parked()).isZero();
    }

    @Test
    void shouldAnswerAnEmptyReadWhenMaxWaitPassesWithoutAppends() {
        fetch(1, MAX_WAIT_MS, P0);

        timer.advance(MAX_WAIT_MS);

        FetchedPartition f = onlyAnswer().get(0);
        assertThat(f.error()).isNull();
        assertThat(f.records().isEmpty()).isTrue();
    }

    @Test
    void shouldNotWakeAFetchParkedOnAnotherPartition() {
        fetch(1, MAX_WAIT_MS, P0);

        append(P1, 100);

        assertThat(answers).isEmpty();
        assertThat(fetches.parked()).isEqualTo(1);
        timer.advance(MAX_WAIT_MS);
        assertThat(onlyAnswer()).extracting(FetchedPartition::id).containsExactly(P0);
    }

    @Test
    void shouldWakeEachParkedFetchOnlyForItsOwnPartitions() {
        List<List<FetchedPartition>> onP0 = new ArrayList<>();
        List<List<FetchedPartition>> onP1 = new ArrayList<>();
        fetches.fetch(
                List.of(new FetchPartitionRequest(P0, 0, 1 << 20)),
                new FetchParams(1, Integer.MAX_VALUE, MAX_WAIT_MS),
                onP0::add);
        fetches.fetch(
                List.of(new FetchPartitionRequest(P1, 0, 1 << 20)),
                new FetchParams(1, Integer.MAX_VALUE, MAX_WAIT_MS),
                onP1::add);
        assertThat(fetches.parked()).isEqualTo(2);

        append(P1, 100);
        assertThat(onP1).hasSize(1);
        assertThat(onP1.get(0)).extracting(FetchedPartition::id).containsExactly(P1);
        assertThat(onP0).isEmpty();

        append(P0, 100);
        assertThat(onP0).hasSize(1);
        assertThat(onP0.get(0)).extracting(FetchedPartition::id).containsExactly(P0);
        assertThat(onP1).as("answered once").hasSize(1);
    }

    @Test
    void shouldAnswerOnceWhenAnAppendArrivesWhileTheFetchIsBeingParked() {
        // the append lands after the fetch is registered but before its timeout exists
        timer.duringNextSchedule(() -> append(P0, 100));

        fetch(1, MAX_WAIT_MS, P0);

        assertThat(onlyAnswer().get(0).records().isEmpty()).isFalse();
        assertThat(timer.pending())
                .as("the timeout made after the answer is cancelled")
                .isZero();
        timer.advance(MAX_WAIT_MS);
        assertThat(answers).hasSize(1);
    }

    @Test
    void shouldAnswerOnceWhenTheTimeoutAndAnAppendBothCome() {
        fetch(1 << 20, MAX_WAIT_MS, P0);

        timer.advance(MAX_WAIT_MS);
        append(P0, 100);
        append(P0, 100);

        assertThat(answers).hasSize(1);
        assertThat(fetches.parked()).isZero();
    }
}
