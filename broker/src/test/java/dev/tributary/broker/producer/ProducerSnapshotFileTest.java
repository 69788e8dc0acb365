package dev.tributary.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerSnapshotFileTest {

    @TempDir
    Path dir;

    private static ProducerStateManager stateWithTwoProducers() {
        ProducerStateManager s = new ProducerStateManager("t-0");
        s.onAppend(new ProducerBatch(10, (short) 1, 0, 2, 111), 0, 1);
        s.onAppend(new ProducerBatch(10, (short) 1, 2, 2, 112), 2, 3);
        s.onAppend(new ProducerBatch(11, (short) 0, 0, 1, 113), 4, 4);
        return s;
    }

    @Test
    void shouldRoundTripEntriesThroughSnapshotFile() throws IOException {
        ProducerStateManager s = stateWithTwoProducers();
        Path file = ProducerSnapshotFile.write(dir, 5, s.entries());

        assertThat(file.getFileName().toString()).isEqualTo("00000000000000000005.producer-state");
        List<ProducerStateEntry> read = ProducerSnapshotFile.read(file);
        assertThat(read).hasSize(2);
        ProducerStateEntry p10 =
                read.stream().filter(e -> e.producerId() == 10).findFirst().orElseThrow();
        assertThat(p10.epoch()).isEqualTo((short) 1);
        assertThat(p10.lastTimestamp()).isEqualTo(112);
        assertThat(p10.batches())
                .containsExactly(new BatchMetadata(0, 1, 0, 1, 111), new BatchMetadata(2, 3, 2, 3, 112));
    }

    @Test
    void shouldRejectSnapshotWithFlippedByteNamingFileAndPosition() throws IOException {
        Path file = ProducerSnapshotFile.write(dir, 5, stateWithTwoProducers().entries());
        byte[] bytes = Files.readAllBytes(file);
        bytes[20] ^= 0x40;
        Files.write(file, bytes);

        assertThatThrownBy(() -> ProducerSnapshotFile.read(file))
                .isInstanceOf(CorruptProducerSnapshotException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("CRC");
    }

    @Test
    void shouldRejectUnknownVersion() throws IOException {
        Path file = ProducerSnapshotFile.write(dir, 5, stateWithTwoProducers().entries());
        byte[] bytes = Files.readAllBytes(file);
        bytes[1] = 9;
        Files.write(file, bytes);

        assertThatThrownBy(() -> ProducerSnapshotFile.read(file)).hasMessageContaining("unknown version 9");
    }

    @Test
    void shouldDeleteTemporaryFilesOfInterruptedSnapshotWritesWhenStateIsLoaded() throws IOException {
        Path snapshot = ProducerStateLoader.snapshot(dir, stateWithTwoProducers());
        // what a crash or a full disk between create and rename leaves behind
        Path emptyTmp = Files.createFile(dir.resolve(ProducerSnapshotFile.fileName(9) + ".tmp"));
        Path halfTmp = Files.write(dir.resolve(ProducerSnapshotFile.fileName(12) + ".tmp"), new byte[] {0, 1, 2});
        Path unrelated = Files.createFile(dir.resolve("00000000000000000000.index.tmp"));

        ProducerStateManager after = new ProducerStateManager("t-0");
        ProducerStateLoader.load(dir, after, 0, 5, from -> iterate(List.of(), from));

        assertThat(emptyTmp).doesNotExist();
        assertThat(halfTmp).doesNotExist();
        assertThat(snapshot).exists();
        assertThat(unrelated).as("not ours to delete").exists();
        assertThat(after.entry(10)).isNotNull();
    }

    @Test
    void shouldDeleteTheLeftoverTemporaryFileOfTheProducerIdBlockOnOpen() throws IOException {
        ProducerIdManager.open(dir).nextProducerId();
        Path tmp = Files.createFile(dir.resolve(ProducerIdBlockFile.FILE_NAME + ".tmp"));

        ProducerIdManager.open(dir);

        assertThat(tmp).doesNotExist();
    }

    @Test
    void shouldRestoreFromSnapshotAndReplayLaterBatchesFromLog() throws IOException {
        ProducerStateManager before = stateWithTwoProducers();
        ProducerStateLoader.snapshot(dir, before);
        // written after the snapshot and before a crash: only in the log
        List<LoggedBatch> log = new ArrayList<>();
        log.add(new LoggedBatch(new ProducerBatch(10, (short) 1, 4, 1, 200), 5, 5));

        ProducerStateManager after = new ProducerStateManager("t-0");
        long replayFrom = ProducerStateLoader.load(dir, after, 0, 6, from -> iterate(log, from));

        assertThat(replayFrom).isEqualTo(5);
        assertThat(after.entry(10).lastSequence()).isEqualTo(4);
        assertThat(after.check(new ProducerBatch(10, (short) 1, 4, 1, 0))).isInstanceOf(SequenceCheck.Duplicate.class);
        assertThat(after.check(new ProducerBatch(10, (short) 1, 5, 1, 0))).isInstanceOf(SequenceCheck.Append.class);
        assertThat(after.mapEndOffset()).isEqualTo(6);
    }

    @Test
    void shouldRebuildFromWholeLogWhenSnapshotIsCorruptOrBeyondLogEnd() throws IOException {
        ProducerStateLoader.snapshot(dir, stateWithTwoProducers()); // at 5
        Path beyond = ProducerSnapshotFile.write(dir, 50, List.of());
        Path corrupt = dir.resolve(ProducerSnapshotFile.fileName(5));
        Files.write(corrupt, new byte[] {0, 1, 2});
        List<LoggedBatch> log = List.of(
                new LoggedBatch(new ProducerBatch(10, (short) 1, 0, 2, 1), 0, 1),
                new LoggedBatch(new ProducerBatch(10, (short) 1, 2, 2, 1), 2, 3));

        ProducerStateManager after = new ProducerStateManager("t-0");
        long replayFrom = ProducerStateLoader.load(dir, after, 0, 4, from -> iterate(log, from));

        assertThat(replayFrom).isZero();
        assertThat(after.entry(10).lastSequence()).isEqualTo(3);
        assertThat(Files.exists(beyond)).isFalse();
        assertThat(Files.exists(corrupt)).isFalse();
    }

    @Test
    void shouldReplayOnlyFromFloorWhenNoSnapshotExists() throws IOException {
        List<LoggedBatch> log = List.of(
                new LoggedBatch(new ProducerBatch(1, (short) 0, 0, 5, 1), 0, 4),
                new LoggedBatch(new ProducerBatch(2, (short) 0, 0, 5, 1), 5, 9));

        ProducerStateManager after = new ProducerStateManager("t-0");
        long from = ProducerStateLoader.load(dir, after, 0, 5, 10, start -> iterate(log, start));

        assertThat(from).isEqualTo(5);
        assertThat(after.entry(1))
                .as("producer seen only below the floor is unknown")
                .isNull();
        assertThat(after.entry(2).lastSequence()).isEqualTo(4);
    }

    @Test
    void shouldKeepOnlyNewestTwoSnapshots() throws IOException {
        ProducerStateManager s = new ProducerStateManager("t-0");
        for (int i = 0; i < 4; i++) {
            s.onAppend(new ProducerBatch(1, (short) 0, i, 1, 0), i, i);
            ProducerStateLoader.snapshot(dir, s);
        }

        assertThat(ProducerSnapshotFile.list(dir))
                .extracting(p -> p.getFileName().toString())
                .containsExactly(ProducerSnapshotFile.fileName(4), ProducerSnapshotFile.fileName(3));
    }

    @Test
    void shouldNeverRepeatProducerIdsAcrossReopen() throws IOException {
        ProducerIdManager first = ProducerIdManager.open(dir);
        long a = first.nextProducerId();
        long b = first.nextProducerId();

        ProducerIdManager reopened = ProducerIdManager.open(dir);
        long c = reopened.nextProducerId();

        assertThat(b).isEqualTo(a + 1);
        assertThat(c).isGreaterThan(b);
        assertThat(new ProducerIdBlockFile(dir).read())
                .isEqualTo(c - c % ProducerIdManager.BLOCK_SIZE + ProducerIdManager.BLOCK_SIZE);
    }

    @Test
    void shouldRejectCorruptProducerIdBlockFile() throws IOException {
        ProducerIdManager.open(dir).nextProducerId();
        Path file = dir.resolve(ProducerIdBlockFile.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[13] ^= 1;
        Files.write(file, bytes);

        assertThatThrownBy(() -> ProducerIdManager.open(dir))
                .isInstanceOf(CorruptProducerSnapshotException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void shouldReadVersion1SnapshotFromPinnedBytes() throws IOException {
        // version 1 | crc | 1 entry | pid 7, epoch 1, last timestamp 1000, 1 batch | seq 0..1, offsets 10..11, ts 1000
        Path file = dir.resolve(ProducerSnapshotFile.fileName(12));
        Files.write(
                file,
                java.util.HexFormat.of()
                        .parseHex(
                                "0001e4a27c950000000100000000000000070001"
                                        + "00000000000003e8010000000000000001000000000000000a000000000000000b00000000000003e8"));

        List<ProducerStateEntry> entries = ProducerSnapshotFile.read(file);

        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.producerId()).isEqualTo(7);
            assertThat(e.epoch()).isEqualTo((short) 1);
            assertThat(e.batches()).containsExactly(new BatchMetadata(0, 1, 10, 11, 1000));
        });
    }

    @Test
    void shouldReadVersion1ProducerIdBlockFromPinnedBytes() throws IOException {
        Files.write(
                dir.resolve(ProducerIdBlockFile.FILE_NAME),
                java.util.HexFormat.of().parseHex("000125969a6400000000000007d0"));

        assertThat(new ProducerIdBlockFile(dir).read()).isEqualTo(2000);
        assertThat(ProducerIdManager.open(dir).nextProducerId()).isEqualTo(2000);
    }

    private static Iterator<LoggedBatch> iterate(List<LoggedBatch> log, long from) {
        return log.stream().filter(b -> b.lastOffset() >= from).iterator();
    }
}
