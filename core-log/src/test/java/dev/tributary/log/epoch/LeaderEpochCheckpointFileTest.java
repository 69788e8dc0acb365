package dev.tributary.log.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.storage.internals.log.LogDirFailureChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code leader-epoch-checkpoint} file: Kafka's format, atomic writes, errors that say where. */
class LeaderEpochCheckpointFileTest {
    @TempDir
    Path dir;

    private static final List<EpochEntry> ENTRIES =
            List.of(new EpochEntry(0, 0), new EpochEntry(2, 1200), new EpochEntry(5, 5400));

    @Test
    void shouldWriteKafkasTextFormatByteForByte() throws IOException {
        LeaderEpochCheckpointFile file = LeaderEpochCheckpointFile.inDirectory(dir);
        file.write(ENTRIES);
        assertThat(file.file().getFileName().toString()).isEqualTo("leader-epoch-checkpoint");
        // version 0, the count, then "epoch startOffset" per line, each line ending in \n
        assertThat(Files.readString(file.file())).isEqualTo("0\n3\n0 0\n2 1200\n5 5400\n");
        assertThat(file.read()).isEqualTo(ENTRIES);
    }

    @Test
    void shouldWriteAnEmptyCheckpointAsVersionAndZero() throws IOException {
        LeaderEpochCheckpointFile file = LeaderEpochCheckpointFile.inDirectory(dir);
        file.write(List.of());
        assertThat(Files.readString(file.file())).isEqualTo("0\n0\n");
        assertThat(file.read()).isEmpty();
    }

    @Test
    void shouldReadAMissingFileAsNoEntries() {
        assertThat(LeaderEpochCheckpointFile.inDirectory(dir).read()).isEmpty();
    }

    @Test
    void shouldReplaceTheFileAndLeaveNoTemporaryFileBehind() throws IOException {
        LeaderEpochCheckpointFile file = LeaderEpochCheckpointFile.inDirectory(dir);
        file.write(ENTRIES);
        file.write(List.of(new EpochEntry(7, 9000)));
        assertThat(file.read()).containsExactly(new EpochEntry(7, 9000));
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("leader-epoch-checkpoint");
        }
    }

    @Test
    void shouldBeReadByKafkasOwnCheckpointReader() throws IOException {
        LeaderEpochCheckpointFile ours = LeaderEpochCheckpointFile.inDirectory(dir);
        ours.write(ENTRIES);
        var kafka = new org.apache.kafka.storage.internals.checkpoint.LeaderEpochCheckpointFile(
                ours.file().toFile(), new LogDirFailureChannel(1));
        List<EpochEntry> readByKafka = new ArrayList<>();
        for (var entry : kafka.read()) {
            readByKafka.add(new EpochEntry(entry.epoch(), entry.startOffset()));
        }
        assertThat(readByKafka).isEqualTo(ENTRIES);
    }

    @Test
    void shouldReadAFileWrittenByKafka() throws IOException {
        Path path = dir.resolve("leader-epoch-checkpoint");
        var kafka = new org.apache.kafka.storage.internals.checkpoint.LeaderEpochCheckpointFile(
                path.toFile(), new LogDirFailureChannel(1));
        kafka.write(List.of(
                new org.apache.kafka.storage.internals.log.EpochEntry(1, 0),
                new org.apache.kafka.storage.internals.log.EpochEntry(4, 77)));
        assertThat(new LeaderEpochCheckpointFile(path).read())
                .containsExactly(new EpochEntry(1, 0), new EpochEntry(4, 77));
        // and Kafka writes exactly the bytes we would
        assertThat(Files.readString(path))
                .isEqualTo(LeaderEpochCheckpointFile.format(List.of(new EpochEntry(1, 0), new EpochEntry(4, 77))));
    }

    @Test
    void shouldBackALeaderEpochCacheAcrossARestart() {
        LeaderEpochCache cache = new LeaderEpochCache(LeaderEpochCheckpointFile.inDirectory(dir));
        cache.assign(0, 0);
        cache.assign(3, 100);
        cache.truncateFromEnd(100);
        cache.assign(4, 100);
        LeaderEpochCache reopened = new LeaderEpochCache(LeaderEpochCheckpointFile.inDirectory(dir));
        assertThat(reopened.entries()).containsExactly(new EpochEntry(0, 0), new EpochEntry(4, 100));
    }

    private CheckpointFormatException readBad(String text) throws IOException {
        Path path = dir.resolve("leader-epoch-checkpoint");
        Files.writeString(path, text, StandardCharsets.UTF_8);
        try {
            new LeaderEpochCheckpointFile(path).read();
        } catch (CheckpointFormatException e) {
            assertThat(e.source()).isEqualTo(path.toString());
            assertThat(e.getMessage()).contains(path.toString());
            return e;
        }
        throw new AssertionError("expected a CheckpointFormatException for " + text);
    }

    @Test
    void shouldNameTheLineAndValueOfAnUnknownVersion() throws IOException {
        CheckpointFormatException e = readBad("1\n0\n");
        assertThat(e.position()).isEqualTo(1);
        assertThat(e.value()).isEqualTo("1");
        assertThat(e.getMessage()).contains("line 1").contains("version");
    }

    @Test
    void shouldNameTheLineAndValueOfABadCount() throws IOException {
        CheckpointFormatException e = readBad("0\nthree\n");
        assertThat(e.position()).isEqualTo(2);
        assertThat(e.value()).isEqualTo("three");
    }

    @Test
    void shouldNameTheLineAndValueOfABadEntry() throws IOException {
        CheckpointFormatException e = readBad("0\n2\n0 0\n3 x12\n");
        assertThat(e.position()).isEqualTo(4);
        assertThat(e.value()).isEqualTo("3 x12");
        assertThat(readBad("0\n1\n3\n").value()).isEqualTo("3");
        assertThat(readBad("0\n1\n-3 5\n").getMessage()).contains("negative");
    }

    @Test
    void shouldRejectAFileWithFewerEntriesThanAnnounced() throws IOException {
        CheckpointFormatException e = readBad("0\n3\n0 0\n2 1200\n");
        assertThat(e.position()).isEqualTo(5);
        assertThat(e.getMessage()).contains("2 of 3");
    }

    @Test
    void shouldRejectAFileWithMoreEntriesThanAnnounced() throws IOException {
        CheckpointFormatException e = readBad("0\n1\n0 0\n2 1200\n");
        assertThat(e.position()).isEqualTo(4);
        assertThat(e.value()).isEqualTo("2 1200");
    }

    @Test
    void shouldRejectAnEmptyFile() throws IOException {
        assertThat(readBad("").position()).isEqualTo(1);
    }

    @Test
    void shouldNotAcceptALeaderEpochCacheBuiltOnADamagedFile() throws IOException {
        Files.writeString(dir.resolve("leader-epoch-checkpoint"), "0\n1\nseven 0\n");
        assertThatThrownBy(() -> new LeaderEpochCache(LeaderEpochCheckpointFile.inDirectory(dir)))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("line 3");
    }
}
