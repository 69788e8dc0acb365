package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.log.epoch.CheckpointFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HighWatermarkCheckpointTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldWriteKafkasTextAndReadItBack() throws Exception {
        HighWatermarkCheckpoint cp = HighWatermarkCheckpoint.inDirectory(dataDir);
        Map<LogId, Long> hws = new LinkedHashMap<>();
        hws.put(new LogId("orders", 1), 980L);
        hws.put(new LogId("__consumer_offsets", 7), 0L);
        hws.put(new LogId("orders", 0), 1200L);
        hws.put(new LogId("my-topic.v2", 12), 5L);
        cp.write(hws);

        assertThat(cp.file()).isEqualTo(dataDir.resolve("replication-offset-checkpoint"));
        assertThat(Files.readString(cp.file()))
                .isEqualTo("0\n4\n__consumer_offsets 7 0\nmy-topic.v2 12 5\norders 0 1200\norders 1 980\n");
        assertThat(Files.exists(dataDir.resolve("replication-offset-checkpoint.tmp")))
                .isFalse();
        assertThat(cp.read()).isEqualTo(hws);

        cp.write(Map.of());
        assertThat(Files.readString(cp.file())).isEqualTo("0\n0\n");
        assertThat(cp.read()).isEmpty();
    }

    @Test
    void shouldReadAMissingFileAsNoHighWatermarks() {
        assertThat(HighWatermarkCheckpoint.inDirectory(dataDir.resolve("new")).read())
                .isEmpty();
    }

    @Test
    void shouldReadAFileKafkaWroteWithOtherWhiteSpace() throws Exception {
        Files.writeString(dataDir.resolve("replication-offset-checkpoint"), "0\n2\nt 0  17\nt\t1 18\n");
        assertThat(HighWatermarkCheckpoint.inDirectory(dataDir).read())
                .containsExactlyInAnyOrderEntriesOf(Map.of(new LogId("t", 0), 17L, new LogId("t", 1), 18L));
    }

    @Test
    void shouldRefuseAMalformedFileNamingTheFileAndLine() throws Exception {
        assertMalformed("", 1, "empty file");
        assertMalformed("1\n0\n", 1, "unknown version");
        assertMalformed("0\n", 2, "missing the number of entries");
        assertMalformed("0\nx\n", 2, "number of entries");
        assertMalformed("0\n3\nt 0 1\nt 1 2\n", 2, "announces 3 entries");
        assertMalformed("0\n2\nt 0 1\nt 1\n", 4, "expected 'topic partition offset'");
        assertMalformed("0\n1\nt zero 1\n", 3, "partition");
        assertMalformed("0\n1\nt 0 -4\n", 3, "negative");
        assertMalformed("0\n1\nt 0 1\nt 1 2\n", 4, "more lines");
    }

    private void assertMalformed(String text, int line, String message) throws Exception {
        Path file = dataDir.resolve("replication-offset-checkpoint");
        Files.writeString(file, text);
        assertThatThrownBy(() -> HighWatermarkCheckpoint.inDirectory(dataDir).read())
                .as(text)
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("line " + line + ":")
                .hasMessageContaining(message)
                .satisfies(e ->
                        assertThat(((CheckpointFormatException) e).position()).isEqualTo(line));
    }

    @Test
    void shouldRefuseWhatTheFormatCannotHold() {
        HighWatermarkCheckpoint cp = HighWatermarkCheckpoint.inDirectory(dataDir);
        assertThatThrownBy(() -> cp.write(Map.of(new LogId("a b", 0), 1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cp.write(Map.of(new LogId("a", 0), -1L))).isInstanceOf(IllegalArgumentException.class);
    }
}
