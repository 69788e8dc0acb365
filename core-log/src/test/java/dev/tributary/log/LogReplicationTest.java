package dev.tributary.log;

import static dev.tributary.log.LogTestSupport.assertIndexesConsistent;
import static dev.tributary.log.LogTestSupport.batch;
import static dev.tributary.log.LogTestSupport.batchesIn;
import static dev.tributary.log.LogTestSupport.concat;
import static dev.tributary.log.LogTestSupport.readRegion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.log.epoch.EpochEndOffset;
import dev.tributary.log.epoch.EpochEntry;
import dev.tributary.log.epoch.LeaderEpochCheckpointFile;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.Record;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The replication API of {@link Log}: leader epochs, leader and follower appends, truncation, bounded reads. */
class LogReplicationTest {
    @TempDir
    Path tmp;

    final MutableClock clock = new MutableClock(1_000_000L);

    /** Small segments (about four 5-record batches each) and dense indexes, so every path crosses segments. */
    static final Map<String, String> SMALL =
            Map.of("segment.bytes", "1200", "index.interval.bytes", "300", "file.delete.delay.ms", "0");

    private Log open(String name, Map<String, String> cfg, boolean clean) {
        return Log.open(tmp.resolve(name), LogConfig.fromMap(cfg), clock, clean);
    }

    /** Five records of 40-byte values, timestamps ts..ts+4. */
    private static ByteBuffer five(long ts) {
        return batch(Codec.NONE, 5, 40, ts);
    }

    /** The partitionLeaderEpoch field of every batch in the log's segment files, read back from disk. */
    private static List<Integer> epochsOnDisk(Log log) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (LogSegment s : log.segments()) {
            ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(s.logFile()));
            for (RecordBatch b : batchesIn(all)) {
                assertThat(b.isValid())
                        .as("CRC of %s still valid after stamping", b)
                        .isTrue();
                out.add(all.getInt(b.start() + 12)); // bytes 12..15 of the v2 header
            }
        }
        return out;
    }

    private static List<Long> offsetsFrom(Log log, long from) {
        List<Long> out = new ArrayList<>();
        var it = log.batches(from);
        while (it.hasNext()) {
            for (Record r : it.next()) {
                if (r.offset() >= from) {
                    out.add(r.offset());
                }
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- leader appends and epochs

    @Test
    void shouldStampTheLeaderEpochIntoEveryBatchAndRecordWhereEachEpochStarts() throws Exception {
        try (Log log = open("t-0", SMALL, false)) {
            log.appendAsLeader(concat(five(100), five(200)), 3);
            log.appendAsLeader(five(300), 3);
            LogAppendInfo fifth = log.appendAsLeader(five(400), 5);
            log.append(five(500)); // single-node append: the field stays as the producer sent it

            assertThat(epochsOnDisk(log)).containsExactly(3, 3, 3, 5, RecordBatch.NO_PARTITION_LEADER_EPOCH);
            assertThat(fifth.firstOffset()).isEqualTo(15);
            assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(3, 0), new EpochEntry(5, 15));
            assertThat(log.endOffsetForEpoch(3)).isEqualTo(new EpochEndOffset(3, 15));
            assertThat(log.endOffsetForEpoch(4)).isEqualTo(new EpochEndOffset(3, 15));
            assertThat(log.endOffsetForEpoch(5)).isEqualTo(new EpochEndOffset(5, 25));
            assertThat(log.endOffsetForEpoch(6)).isEqualTo(EpochEndOffset.UNDEFINED);
            assertThat(Files.readString(tmp.resolve("t-0").resolve(LeaderEpochCheckpointFile.FILE_NAME)))
                    .isEqualTo("0\n2\n3 0\n5 15\n");
            assertIndexesConsistent(log);
        }
    }

    @Test
    void shouldNotRecordAnEpochWhenTheLeaderAppendFailsValidation() {
        try (Log log = open("t-0", SMALL, false)) {
            ByteBuffer bad = five(100);
            bad.put(bad.limit() - 1, (byte) (bad.get(bad.limit() - 1) ^ 1)); // CRC mismatch
            assertThatThrownBy(() -> log.appendAsLeader(bad, 2)).isInstanceOf(CorruptRecordException.class);
            assertThat(log.leaderEpochCache().isEmpty()).isTrue();
            assertThat(log.logEndOffset()).isZero();
        }
    }

    @Test
    void shouldKeepEpochsAcrossCloseAndReopenAndAcrossAKill() throws Exception {
        Log first = open("t-0", SMALL, false);
        first.appendAsLeader(five(100), 1);
        first.appendAsLeader(five(200), 2);
        first.close();
        try (Log reopened = open("t-0", SMALL, true)) {
            assertThat(reopened.leaderEpochCache().entries())
                    .containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 5));
            reopened.appendAsLeader(five(300), 4);
            // killed: never closed
            try (Log afterKill = open("t-0", SMALL, false)) {
                assertThat(afterKill.logEndOffset()).isEqualTo(15);
                assertThat(afterKill.leaderEpochCache().entries())
                        .containsExactly(new EpochEntry(1, 0), new EpochEntry(2, 5), new EpochEntry(4, 10));
                assertThat(epochsOnDisk(afterKill)).containsExactly(1, 2, 4);
            }
        }
    }

    @Test
    void shouldDropEpochsOfRecordsRecoveryCutOffAfterAKill() throws Exception {
        Path dir = tmp.resolve("t-0");
        Log killed = open("t-0", Map.of(), false);
        killed.appendAsLeader(five(100), 1);
        killed.appendAsLeader(five(200), 7);
        // the process dies while the last batch is half written: the epoch entry was written before the batch
        LogSegment seg = killed.segments().get(0);
        long torn = seg.size() - 30;
        try (FileChannel ch = FileChannel.open(seg.logFile(), StandardOpenOption.WRITE)) {
            ch.truncate(torn);
        }
        assertThat(LeaderEpochCheckpointFile.inDirectory(dir).read()).contains(new EpochEntry(7, 5));

        try (Log recovered = open("t-0", Map.of(), false)) {
            assertThat(recovered.logEndOffset()).isEqualTo(5);
            assertThat(recovered.leaderEpochCache().entries()).containsExactly(new EpochEntry(1, 0));
            assertThat(recovered.endOffsetForEpoch(1)).isEqualTo(new EpochEndOffset(1, 5));
        }
    }

    @Test
    void shouldMoveTheFirstEpochUpWithTheLogStartOffset() {
        try (Log log = open("t-0", SMALL, false)) {
            log.appendAsLeader(concat(five(100), five(200)), 1);
            log.appendAsLeader(concat(five(300), five(400)), 2);
            log.appendAsLeader(concat(five(500), five(600)), 3);
            log.deleteRecordsBefore(7);
            assertThat(log.leaderEpochCache().entries())
                    .containsExactly(new EpochEntry(1, 7), new EpochEntry(2, 10), new EpochEntry(3, 20));
            log.deleteRecordsBefore(12);
            assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(2, 12), new EpochEntry(3, 20));
            log.retention(); // segments below 12 go; the start stays at 12 or moves to a segment base
            assertThat(log.leaderEpochCache().earliestEntry().orElseThrow().startOffset())
                    .isEqualTo(log.logStartOffset());
        }
    }

    // ---------------------------------------------------------------- follower appends

    /** A leader with several segments and three epochs, one batch per append. */
    private Log leaderWithData(String name) {
        Log leader = open(name, SMALL, false);
        for (int i = 0; i < 12; i++) {
            int epoch = i < 4 ? 0 : i < 9 ? 2 : 5;
            leader.appendAsLeader(five(100L * i), epoch);
        }
        return leader;
    }

    /** Copies the leader's log to the follower the way a fetcher does: one fetch of at most maxBytes at a time. */
    private static void replicate(Log leader, Log follower, int maxBytes) throws IOException {
        while (follower.logEndOffset() < leader.logEndOffset()) {
            FileRegion region = leader.read(follower.logEndOffset(), maxBytes);
            follower.appendAsFollower(readRegion(region));
        }
    }

    @Test
    void shouldMakeAFollowerCopyThatIsByteIdenticalToTheLeader() throws Exception {
        Log leader = leaderWithData("lead-0");
        Log follower = open("follow-0", SMALL, false);
        replicate(leader, follower, 1); // one batch per fetch, as the leader appended them: same segment cuts
        assertThat(follower.logEndOffset()).isEqualTo(60);
        assertThat(follower.leaderEpochCache().entries())
                .isEqualTo(leader.leaderEpochCache().entries());
        assertThat(follower.maxTimestamp()).isEqualTo(leader.maxTimestamp());
        assertIndexesConsistent(follower);
        leader.close();
        follower.close();

        List<String> leaderFiles = segmentFileNames(tmp.resolve("lead-0"));
        assertThat(leaderFiles).hasSizeGreaterThan(9); // several segments of three files each
        assertThat(segmentFileNames(tmp.resolve("follow-0"))).isEqualTo(leaderFiles);
        for (String f : leaderFiles) {
            assertThat(Files.readAllBytes(tmp.resolve("follow-0").resolve(f)))
                    .as(f)
                    .isEqualTo(Files.readAllBytes(tmp.resolve("lead-0").resolve(f)));
        }
        assertThat(Files.readString(tmp.resolve("follow-0").resolve(LeaderEpochCheckpointFile.FILE_NAME)))
                .isEqualTo("0\n3\n0 0\n2 20\n5 45\n");
    }

    @Test
    void shouldAcceptFetchesOfManyBatchesAndKeepTheBytesOfTheLeader() throws Exception {
        try (Log leader = leaderWithData("lead-0");
                Log follower = open("follow-0", Map.of(), false)) {
            replicate(leader, follower, 700);
            assertThat(follower.leaderEpochCache().entries())
                    .isEqualTo(leader.leaderEpochCache().entries());
            assertThat(concatenatedLog(follower)).isEqualTo(concatenatedLog(leader));
            assertIndexesConsistent(follower);
        }
    }

    private static List<String> segmentFileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".log") || n.endsWith(".index") || n.endsWith(".timeindex"))
                    .sorted()
                    .toList();
        }
    }

    private static byte[] concatenatedLog(Log log) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (LogSegment s : log.segments()) {
            out.write(Files.readAllBytes(s.logFile()));
        }
        return out.toByteArray();
    }

    @Test
    void shouldRefuseAFollowerAppendThatDoesNotContinueTheLogAndWriteNothing() throws Exception {
        try (Log leader = leaderWithData("lead-0");
                Log follower = open("follow-0", SMALL, false)) {
            ByteBuffer b0 = readRegion(leader.read(0, 1));
            ByteBuffer b5 = readRegion(leader.read(5, 1));
            ByteBuffer b10 = readRegion(leader.read(10, 1));
            follower.appendAsFollower(b0.duplicate());
            long size = follower.size();
            List<EpochEntry> epochs = follower.leaderEpochCache().entries();

            // the first batch must start at the log end offset (5): neither after it...
            assertThatThrownBy(() -> follower.appendAsFollower(b10.duplicate()))
                    .isInstanceOf(UnexpectedAppendOffsetException.class)
                    .hasMessageContaining("follow-0")
                    .hasMessageContaining("expected base offset 5, found 10");
            // ...nor before it (the same batch again)
            assertThatThrownBy(() -> follower.appendAsFollower(b0.duplicate()))
                    .isInstanceOf(UnexpectedAppendOffsetException.class)
                    .hasMessageContaining("expected base offset 5, found 0");
            // a gap between two batches of one fetch
            assertThatThrownBy(() ->
                            follower.appendAsFollower(concat(b5, b10.duplicate(), readRegion(leader.read(20, 1)))))
                    .isInstanceOf(UnexpectedAppendOffsetException.class)
                    .hasMessageContaining("does not follow the previous batch")
                    .hasMessageContaining("expected base offset 15, found 20")
                    .satisfies(e -> {
                        UnexpectedAppendOffsetException u = (UnexpectedAppendOffsetException) e;
                        assertThat(u.expectedOffset()).isEqualTo(15);
                        assertThat(u.foundOffset()).isEqualTo(20);
                    });

            assertThat(follower.logEndOffset()).isEqualTo(5);
            assertThat(follower.size()).isEqualTo(size);
            assertThat(follower.leaderEpochCache().entries()).isEqualTo(epochs);
            follower.appendAsFollower(concat(b5, b10)); // what does continue the log is taken
            assertThat(follower.logEndOffset()).isEqualTo(15);
        }
    }

    @Test
    void shouldLetACompactedFollowerSkipOffsetsTheLeadersCleanerRemoved() throws Exception {
        Map<String, String> compact = Map.of("cleanup.policy", "compact");
        try (Log leader = open("lead-0", compact, false);
                Log follower = open("follow-0", compact, false)) {
            leader.appendAsLeader(five(100), 1);
            leader.appendAsLeader(five(200), 1);
            leader.appendAsLeader(five(300), 1);
            ByteBuffer withGap = concat(readRegion(leader.read(0, 1)), readRegion(leader.read(10, 1)));
            follower.appendAsFollower(withGap);
            assertThat(follower.logEndOffset()).isEqualTo(15);
            assertThat(offsetsFrom(follower, 0)).containsExactly(0L, 1L, 2L, 3L, 4L, 10L, 11L, 12L, 13L, 14L);
            // going backwards is still refused
            assertThatThrownBy(() -> follower.appendAsFollower(readRegion(leader.read(5, 1))))
                    .isInstanceOf(UnexpectedAppendOffsetException.class);
        }
    }

    @Test
    void shouldValidateFollowerBatchesLikeALeaderWould() throws Exception {
        try (Log leader = leaderWithData("lead-0");
                Log follower = open("follow-0", SMALL, false)) {
            ByteBuffer b0 = readRegion(leader.read(0, 1));
            b0.put(b0.limit() - 1, (byte) (b0.get(b0.limit() - 1) ^ 1));
            assertThatThrownBy(() -> follower.appendAsFollower(b0)).isInstanceOf(CorruptRecordException.class);
            assertThat(follower.logEndOffset()).isZero();
            assertThat(follower.leaderEpochCache().isEmpty()).isTrue();
        }
    }

    // ---------------------------------------------------------------- truncation

    /** 60 records in 12 batches of 5 over several segments, epochs 0 (0..19), 2 (20..44), 5 (45..59). */
    private Log truncatable() {
        return leaderWithData("t-0");
    }

    @Test
    void shouldTruncateInTheMiddleOfASegmentThenAppendAndReopen() throws Exception {
        Log log = truncatable();
        int segmentsBefore = log.numberOfSegments();
        LogSegment holding = segmentHolding(log, 52);
        assertThat(holding.baseOffset()).isLessThan(50);

        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(60);
        log.truncateTo(50); // a batch boundary inside the last segment
        assertThat(log.logEndOffset()).isEqualTo(50);
        assertThat(log.numberOfSegments()).isEqualTo(segmentsBefore);
        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(50);
        assertThat(log.maxTimestamp()).isEqualTo(new TimestampOffset(904L, 49));
        assertThat(offsetsFrom(log, 45)).containsExactly(45L, 46L, 47L, 48L, 49L);
        assertThat(log.leaderEpochCache().entries())
                .containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 20), new EpochEntry(5, 45));
        assertIndexesConsistent(log);

        log.truncateTo(47); // inside a batch: the batch 45..49 goes whole
        assertThat(log.logEndOffset()).isEqualTo(45);
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 20));
        assertThat(log.read(45, 1 << 20).isEmpty()).isTrue();
        assertThatThrownBy(() -> log.read(46, 1 << 20)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.offsetForTimestamp(850)).isEmpty(); // only batch 8 (800..804) and older remain
        assertThat(log.offsetForTimestamp(803)).contains(new TimestampOffset(803, 43));
        assertIndexesConsistent(log);

        LogAppendInfo again = log.appendAsLeader(five(5000), 7);
        assertThat(again.firstOffset()).isEqualTo(45);
        assertThat(log.leaderEpochCache().latestEntry()).contains(new EpochEntry(7, 45));
        assertThat(log.maxTimestamp()).isEqualTo(new TimestampOffset(5004, 49));
        assertIndexesConsistent(log);
        log.close();

        try (Log reopened = open("t-0", SMALL, true)) {
            assertThat(reopened.logEndOffset()).isEqualTo(50);
            assertThat(reopened.maxTimestamp()).isEqualTo(new TimestampOffset(5004, 49));
            assertThat(reopened.leaderEpochCache().latestEntry()).contains(new EpochEntry(7, 45));
            assertThat(offsetsFrom(reopened, 40)).containsExactly(40L, 41L, 42L, 43L, 44L, 45L, 46L, 47L, 48L, 49L);
            assertIndexesConsistent(reopened);
        }
    }

    @Test
    void shouldTruncateAtASegmentBoundary() throws Exception {
        try (Log log = truncatable()) {
            List<LogSegment> before = log.segments();
            LogSegment second = before.get(1);
            long boundary = second.baseOffset();
            log.truncateTo(boundary);
            assertThat(log.logEndOffset()).isEqualTo(boundary);
            assertThat(log.segments()).hasSize(2);
            assertThat(log.segments().get(1).size()).isZero();
            assertThat(log.segments().get(1).baseOffset()).isEqualTo(boundary);
            assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(0, 0));
            log.removeDeletedFiles();
            try (Stream<Path> files = Files.list(log.dir())) {
                assertThat(files.filter(p -> p.toString().endsWith(".log"))).hasSize(2);
            }
            for (int i = 0; i < 6; i++) {
                log.appendAsLeader(five(7000 + i), 9);
            }
            assertThat(log.logEndOffset()).isEqualTo(boundary + 30);
            assertIndexesConsistent(log);
        }
    }

    @Test
    void shouldTruncateAcrossSeveralSegmentsAndMakeTheHoldingSegmentActiveAgain() throws Exception {
        Log log = truncatable();
        assertThat(log.numberOfSegments()).isGreaterThanOrEqualTo(4);
        List<Long> layout = log.segments().stream().map(LogSegment::baseOffset).toList();
        LogSegment first = log.segments().get(0);
        assertThat(first.offsetIndex().maxEntries())
                .as("an inactive segment's index is trimmed")
                .isEqualTo(first.offsetIndex().entries());

        log.truncateTo(12); // inside the first segment's third batch: 10..14 goes
        assertThat(log.logEndOffset()).isEqualTo(10);
        assertThat(log.segments()).containsExactly(first);
        assertThat(log.maxTimestamp()).isEqualTo(new TimestampOffset(104, 9));
        assertThat(log.leaderEpochCache().entries()).containsExactly(new EpochEntry(0, 0));
        assertIndexesConsistent(log);

        // the segment is written again, with index entries as before, until it rolls
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(five(9000 + 10L * i), 3);
        }
        // batches of the same sizes again: the segments roll where they did, the first one taking its full share
        assertThat(log.segments().stream().map(LogSegment::baseOffset).toList()).isEqualTo(layout);
        assertIndexesConsistent(log);
        assertThat(log.offsetForTimestamp(9011)).contains(new TimestampOffset(9011, 16));
        log.close();
        try (Log reopened = open("t-0", SMALL, true)) {
            assertThat(reopened.logEndOffset()).isEqualTo(60);
            assertIndexesConsistent(reopened);
            assertThat(reopened.leaderEpochCache().entries())
                    .containsExactly(new EpochEntry(0, 0), new EpochEntry(3, 10));
        }
    }

    @Test
    void shouldRecoverAValidLogWhenKilledAfterATruncation() throws Exception {
        Log log = truncatable();
        log.truncateTo(33);
        assertThat(log.logEndOffset()).isEqualTo(30);
        assertThat(log.recoveryPoint()).isLessThanOrEqualTo(30);
        log.appendAsLeader(five(123_000), 6);
        // killed: the truncated active segment's indexes stay preallocated with stale entries past the cut
        try (Log reopened = open("t-0", SMALL, false)) {
            assertThat(reopened.logEndOffset()).isEqualTo(35);
            assertThat(reopened.leaderEpochCache().entries())
                    .containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 20), new EpochEntry(6, 30));
            assertThat(offsetsFrom(reopened, 28)).containsExactly(28L, 29L, 30L, 31L, 32L, 33L, 34L);
            assertIndexesConsistent(reopened);
        }
    }

    @Test
    void shouldRecoverAValidLogWhenKilledHalfWayThroughDeletingTheSegmentsAbove() throws Exception {
        Log log = truncatable();
        List<LogSegment> segs = log.segments();
        log.close();
        // the state a kill leaves when the newest segments were renamed .deleted but the rest was not done yet
        LogSegment last = segs.get(segs.size() - 1);
        Files.move(last.logFile(), last.logFile().resolveSibling(last.logFile().getFileName() + ".deleted"));
        try (Log reopened = open("t-0", SMALL, false)) {
            assertThat(reopened.logEndOffset()).isEqualTo(last.baseOffset());
            assertThat(reopened.leaderEpochCache().latestEntry().orElseThrow().startOffset())
                    .isLessThan(last.baseOffset());
            assertIndexesConsistent(reopened);
            reopened.truncateTo(last.baseOffset() - 5);
            assertThat(reopened.logEndOffset()).isEqualTo(last.baseOffset() - 5);
        }
    }

    @Test
    void shouldNotLetACompactionSwapOutASegmentTruncatedInPlace() {
        try (Log log = truncatable()) {
            LogSegment first = log.segments().get(0);
            log.truncateTo(12); // a cleaning pass may have read the first segment before this
            for (int i = 0; i < 10; i++) {
                log.appendAsLeader(five(9000 + 10L * i), 3);
            }
            assertThat(log.segments().get(0)).isSameAs(first);
            assertThat(log.segments().get(log.numberOfSegments() - 1)).isNotSameAs(first);
            boolean[] called = {false};
            boolean swapped = log.replaceSegments(List.of(first), old -> {
                called[0] = true;
                throw new IOException("must not be called");
            });
            assertThat(swapped).isFalse();
            assertThat(called[0]).isFalse();
            // a segment that was not truncated can still be swapped (the replacer is reached)
            LogSegment second = log.segments().get(1);
            assertThatThrownBy(() -> log.replaceSegments(List.of(second), old -> {
                        throw new IOException("reached");
                    }))
                    .hasMessageContaining("compaction swap");
        }
    }

    @Test
    void shouldTruncateTheEpochCacheEvenWhenNoRecordGoes() {
        try (Log log = truncatable()) {
            // a replica that became leader in epoch 8 and wrote nothing before it lost the leadership
            log.leaderEpochCache().assign(8, 60);
            log.truncateTo(60);
            assertThat(log.logEndOffset()).isEqualTo(60);
            assertThat(log.leaderEpochCache().latestEpoch()).hasValue(5);
            log.truncateTo(1000); // past the end: nothing at all
            assertThat(log.logEndOffset()).isEqualTo(60);
            assertThat(log.leaderEpochCache().latestEpoch()).hasValue(5);
        }
    }

    @Test
    void shouldStartAfreshBelowTheLogStartOffset() {
        try (Log log = truncatable()) {
            log.deleteRecordsBefore(20);
            log.truncateTo(10);
            assertThat(log.logStartOffset()).isEqualTo(10);
            assertThat(log.logEndOffset()).isEqualTo(10);
            assertThat(log.leaderEpochCache().isEmpty()).isTrue();
        }
    }

    @Test
    void shouldTruncateFullyAndStartAtANewOffset() throws Exception {
        Log log = truncatable();
        log.truncateFullyAndStartAt(1000);
        assertThat(log.logStartOffset()).isEqualTo(1000);
        assertThat(log.logEndOffset()).isEqualTo(1000);
        assertThat(log.recoveryPoint()).isEqualTo(1000);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(log.segments().get(0).baseOffset()).isEqualTo(1000);
        assertThat(log.leaderEpochCache().isEmpty()).isTrue();
        assertThat(log.maxTimestamp()).isEqualTo(TimestampOffset.UNKNOWN);
        assertThat(log.read(1000, 1 << 20).isEmpty()).isTrue();
        assertThatThrownBy(() -> log.read(50, 1 << 20)).isInstanceOf(OffsetOutOfRangeException.class);
        assertThat(log.appendAsLeader(five(1), 9).firstOffset()).isEqualTo(1000);

        // killed, then reopened: the old segments do not come back
        try (Log reopened = open("t-0", SMALL, false)) {
            assertThat(reopened.logStartOffset()).isEqualTo(1000);
            assertThat(reopened.logEndOffset()).isEqualTo(1005);
            assertThat(reopened.leaderEpochCache().entries()).containsExactly(new EpochEntry(9, 1000));
            assertThat(reopened.numberOfSegments()).isEqualTo(1);
            reopened.truncateFullyAndStartAt(0); // back to a base a deleted segment had
            assertThat(reopened.logEndOffset()).isZero();
            reopened.append(five(2));
            assertThat(offsetsFrom(reopened, 0)).containsExactly(0L, 1L, 2L, 3L, 4L);
        }
        log.close();
    }

    private static LogSegment segmentHolding(Log log, long offset) {
        LogSegment found = null;
        for (LogSegment s : log.segments()) {
            if (s.baseOffset() <= offset) {
                found = s;
            }
        }
        return found;
    }

    // ---------------------------------------------------------------- read up to a bound

    @Test
    void shouldReadOnlyWholeBatchesBelowTheBound() throws Exception {
        try (Log log = open("t-0", Map.of(), false)) {
            for (int i = 0; i < 6; i++) {
                log.append(five(100L * i)); // batches at 0, 5, 10, 15, 20, 25
            }
            assertThat(baseOffsets(log.read(0, 1 << 20, 10))).containsExactly(0L, 5L);
            assertThat(baseOffsets(log.read(3, 1 << 20, 10))).containsExactly(0L, 5L);
            assertThat(baseOffsets(log.read(0, 1 << 20, 7))).containsExactly(0L, 5L); // 5..9 starts below 7
            assertThat(baseOffsets(log.read(0, 1 << 20, 5))).containsExactly(0L);
            assertThat(baseOffsets(log.read(12, 1, 25))).containsExactly(10L); // at least one batch
            assertThat(baseOffsets(log.read(0, 1 << 20, 1000))).containsExactly(0L, 5L, 10L, 15L, 20L, 25L);
            assertThat(log.read(10, 1 << 20, 10).isEmpty()).isTrue();
            assertThat(log.read(22, 1 << 20, 10).isEmpty())
                    .as("above the bound, below the end")
                    .isTrue();
            assertThat(log.read(30, 1 << 20, 10).isEmpty()).isTrue();
            assertThatThrownBy(() -> log.read(31, 1 << 20, 10)).isInstanceOf(OffsetOutOfRangeException.class);
            FileRegion bounded = log.read(0, 1 << 20, 10);
            FileRegion plain = log.read(0, 1 << 20);
            assertThat(bounded.channel()).isSameAs(plain.channel()); // the segment's file itself: zero-copy
            assertThat(bounded.position()).isEqualTo(plain.position());
        }
    }

    @Test
    void shouldNotCrossIntoTheNextSegmentAtTheBound() throws Exception {
        try (Log log = truncatable()) {
            LogSegment second = log.segments().get(1);
            long bound = second.baseOffset();
            List<Long> read = baseOffsets(log.read(0, 1 << 20, bound));
            assertThat(read).isNotEmpty().allMatch(b -> b < bound);
            assertThat(read.get(read.size() - 1) + 5).isEqualTo(bound);
            assertThat(log.read(bound, 1 << 20, bound).isEmpty()).isTrue();
            assertThat(baseOffsets(log.read(bound, 1 << 20, bound + 1))).containsExactly(bound);
        }
    }

    private static List<Long> baseOffsets(FileRegion region) throws IOException {
        List<Long> out = new ArrayList<>();
        for (RecordBatch b : batchesIn(readRegion(region))) {
            out.add(b.baseOffset());
        }
        return out;
    }

    @Test
    @Timeout(30) // a transfer that waits for bytes that never come spins
    void shouldFailATransferWhoseBytesATruncationRemoved() throws Exception {
        try (Log log = truncatable()) {
            FileRegion region = log.read(45, 1 << 20);
            log.truncateTo(45);
            assertThatThrownBy(() -> region.transferFully(
                            java.nio.channels.Channels.newChannel(new java.io.ByteArrayOutputStream())))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("truncated");
        }
    }
}
