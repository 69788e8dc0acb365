package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.record.Record;
import dev.tributary.log.record.RecordBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A partition directory written by Apache Kafka 4.3.1's own LogSegment (test resource kafka-written/, see its
 * README) opens with Tributary's Log, reads back every record, and, whether its indexes are trusted (clean
 * shutdown) or rebuilt from the log (unclean), leaves index files byte-identical to Kafka's.
 */
class KafkaWrittenLogTest {
    static final List<String> FILES = List.of(
            "00000000000000000000.log",
            "00000000000000000000.index",
            "00000000000000000000.timeindex",
            "00000000000000000210.log",
            "00000000000000000210.index",
            "00000000000000000210.timeindex");

    @TempDir
    Path tmp;

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = KafkaWrittenLogTest.class.getResourceAsStream("/kafka-written/kw-0/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void shouldOpenKafkaWrittenPartitionAndKeepItsIndexesByteIdentical(boolean cleanShutdown) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("kw-0"));
        for (String f : FILES) {
            Files.write(dir.resolve(f), resource(f));
        }
        try (Log log = Log.open(
                dir, LogConfig.fromMap(Map.of("index.interval.bytes", "1024")), new MutableClock(0), cleanShutdown)) {
            assertThat(log.numberOfSegments()).isEqualTo(2);
            assertThat(log.logEndOffset()).isEqualTo(420);
            assertThat(log.maxTimestamp()).isEqualTo(new TimestampOffset(1_763_000_119_005L, 419));
            long expected = 0;
            int batches = 0;
            Iterator<RecordBatch> it = log.batches(0);
            while (it.hasNext()) {
                RecordBatch b = it.next();
                assertThat(b.baseOffset()).isEqualTo(expected);
                int i = batches % 60;
                int r = 0;
                for (Record rec : b) {
                    assertThat(rec.offset()).isEqualTo(expected + r);
                    assertThat(new String(rec.keyBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("k" + r);
                    assertThat(new String(rec.valueBytes(), StandardCharsets.UTF_8))
                            .isEqualTo("value-" + i + "-" + r + "x".repeat(i * 13 % 300));
                    r++;
                }
                assertThat(r).isEqualTo(1 + i % 6);
                expected = b.lastOffset() + 1;
                batches++;
            }
            assertThat(batches).isEqualTo(120);
            assertThat(log.offsetForTimestamp(1_763_000_100_500L))
                    .contains(new TimestampOffset(1_763_000_101_000L, 351));
            LogTestSupport.assertIndexesConsistent(log);
        }
        for (String f : FILES) {
            assertThat(Files.readAllBytes(dir.resolve(f))).as(f).isEqualTo(resource(f));
        }
    }
}
