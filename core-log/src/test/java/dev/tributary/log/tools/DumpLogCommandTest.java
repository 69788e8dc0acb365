package dev.tributary.log.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.Log;
import dev.tributary.log.LogConfig;
import dev.tributary.log.MutableClock;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.Header;
import dev.tributary.log.record.RecordBatchBuilder;
import dev.tributary.log.segment.SegmentFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpLogCommandTest {
    @TempDir
    Path tmp;

    private static String run(int expectedRc, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = DumpLogCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        assertThat(rc).as("exit code; stderr: %s", err).isEqualTo(expectedRc);
        return out.toString();
    }

    private Path writeSegment() {
        Path dir = tmp.resolve("dump-0");
        try (Log log = Log.open(dir, LogConfig.fromMap(Map.of("index.interval.bytes", "100")), new MutableClock(5L))) {
            log.append(RecordBatchBuilder.create(Codec.NONE)
                    .append(1000L, "alpha".getBytes(), "one".getBytes(), Header.of("h", "x"))
                    .append(1001L, null, "two".getBytes())
                    .build());
            log.append(RecordBatchBuilder.create(Codec.ZSTD)
                    .producer(77L, (short) 4, 10)
                    .append(2000L, "beta".getBytes(), new byte[300])
                    .build());
            log.append(RecordBatchBuilder.create(Codec.LZ4)
                    .append(3000L, "gamma".getBytes(), new byte[300])
                    .build());
        }
        return dir;
    }

    @Test
    void shouldPrintEachBatchOfASegmentTheLogWrote() {
        Path dir = writeSegment();
        String out = run(0, SegmentFiles.logFile(dir, 0).toString());
        assertThat(out).contains("Dumping " + SegmentFiles.logFile(dir, 0));
        assertThat(out)
                .contains("baseOffset: 0 lastOffset: 1 count: 2 codec: none timestampType: CreateTime "
                        + "baseTimestamp: 1000 maxTimestamp: 1001 producerId: -1 producerEpoch: -1 baseSequence: -1");
        assertThat(out)
                .contains("baseOffset: 2 lastOffset: 2 count: 1 codec: zstd")
                .contains("producerId: 77 producerEpoch: 4 baseSequence: 10");
        assertThat(out).contains("baseOffset: 3 lastOffset: 3 count: 1 codec: lz4");
        assertThat(out).contains("position: 0 size: ");
        assertThat(out.lines().filter(l -> l.contains("crcValid: true")).count())
                .isEqualTo(3);
        assertThat(out).doesNotContain("| offset:");
        assertThat(out).contains("Batches: 3");
    }

    @Test
    void shouldPrintRecordsWithDeep() {
        Path dir = writeSegment();
        String out =
                run(0, "--deep", "--print-values", SegmentFiles.logFile(dir, 0).toString());
        assertThat(out)
                .contains("| offset: 0 timestamp: 1000 keySize: 5 valueSize: 3 headers: [h=x] key: alpha payload: one");
        assertThat(out).contains("| offset: 1 timestamp: 1001 keySize: -1 valueSize: 3 key: null payload: two");
        assertThat(out).contains("| offset: 2 timestamp: 2000 keySize: 4 valueSize: 300");
        assertThat(out).contains("| offset: 3 timestamp: 3000");
    }

    @Test
    void shouldPrintIndexEntriesAndFlagBadCrc() throws Exception {
        Path dir = writeSegment();
        String idx = run(
                0,
                SegmentFiles.offsetIndexFile(dir, 0).toString(),
                SegmentFiles.timeIndexFile(dir, 0).toString());
        assertThat(idx).containsPattern("Offset index: 1 entries, base offset 0\\R*offset: 3 position: \\d+");
        assertThat(idx).contains("timestamp: 3000 offset: 3");

        Path log = SegmentFiles.logFile(dir, 0);
        byte[] bytes = Files.readAllBytes(log);
        bytes[bytes.length - 1] ^= 1;
        Files.write(log, bytes);
        String out = run(0, log.toString());
        assertThat(out.lines().filter(l -> l.contains("crcValid: false")).count())
                .isEqualTo(1);
        assertThat(out).contains("baseOffset: 3 lastOffset: 3").contains("crcValid: false");

        Files.write(log, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        String torn = run(1, log.toString());
        assertThat(torn).contains("Invalid batch length");
    }
}
