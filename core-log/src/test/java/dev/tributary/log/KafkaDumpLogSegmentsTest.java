package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.record.Codec;
import dev.tributary.log.record.Header;
import dev.tributary.log.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Writes a partition directory to {@code target/kafka-dump-fixture/fixture-0} (kept after the run, so Kafka's own
 * tools and {@code bin/tributary dump-log} can be pointed at it), runs Kafka's {@code DumpLogSegments} on it through
 * {@link KafkaDumpTool} and requires zero errors.
 */
class KafkaDumpLogSegmentsTest {
    static final Path FIXTURE =
            Paths.get("target", "kafka-dump-fixture", "fixture-0").toAbsolutePath();

    @BeforeAll
    static void writeFixture() throws IOException {
        if (Files.exists(FIXTURE)) {
            try (var walk = Files.walk(FIXTURE)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        MutableClock clock = new MutableClock(1_763_000_000_000L);
        LogConfig cfg = LogConfig.fromMap(Map.of("segment.bytes", "12000", "index.interval.bytes", "1024"));
        try (Log log = Log.open(FIXTURE, cfg, clock)) {
            Codec[] codecs = Codec.values();
            for (int i = 0; i < 150; i++) {
                RecordBatchBuilder b = RecordBatchBuilder.create(codecs[i % codecs.length]);
                if (i % 3 == 0) {
                    b.producer(1000L + i % 7, (short) 1, i * 10);
                }
                int n = 1 + i % 9;
                for (int r = 0; r < n; r++) {
                    String value = "value-" + i + "-" + r + "-" + "x".repeat((i * 31 + r * 7) % 400);
                    // timestamps mostly rising, sometimes stepping back inside a batch
                    long ts = clock.millis() + (r % 4 == 3 ? -5 : r);
                    b.append(
                            ts,
                            ("key-" + r).getBytes(StandardCharsets.UTF_8),
                            value.getBytes(StandardCharsets.UTF_8),
                            Header.of("i", Integer.toString(i)));
                }
                log.append(b.build());
                clock.advance(1000);
            }
            assertThat(log.numberOfSegments()).isGreaterThan(2);
        }
    }

    private static List<Path> files(String suffix) throws IOException {
        try (var s = Files.list(FIXTURE)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix))
                    .sorted()
                    .toList();
        }
    }

    private static String dumpLogSegments(String... args) throws Exception {
        return dev.tributary.log.KafkaDumpTool.run(args);
    }

    @Test
    void shouldPassKafkaDeepIterationOnEveryLogFile() throws Exception {
        List<Path> logs = files(".log");
        String out = dumpLogSegments(
                "--deep-iteration", "--files", logs.stream().map(Path::toString).collect(Collectors.joining(",")));
        System.out.println(out.lines().limit(12).collect(Collectors.joining("\n")));
        assertThat(out)
                .doesNotContainIgnoringCase("corrupt")
                .doesNotContainIgnoringCase("exception")
                .doesNotContainIgnoringCase("isValid: false")
                .doesNotContainIgnoringCase("mismatch")
                .doesNotContainIgnoringCase("error");
        long batches = out.lines().filter(l -> l.startsWith("baseOffset:")).count();
        assertThat(batches).isEqualTo(150);
        assertThat(out.lines().filter(l -> l.contains("isvalid: true")).count()).isEqualTo(150);
        assertThat(out.lines().filter(l -> l.startsWith("| offset:")).count())
                .isEqualTo(java.util.stream.IntStream.range(0, 150)
                        .map(i -> 1 + i % 9)
                        .sum());
    }

    @Test
    void shouldPassKafkaIndexVerification() throws Exception {
        List<Path> indexes = new ArrayList<>(files(".index"));
        indexes.addAll(files(".timeindex"));
        String out = dumpLogSegments(
                "--verify-index-only",
                "--files",
                indexes.stream().map(Path::toString).collect(Collectors.joining(",")));
        System.out.println(out);
        assertThat(out)
                .doesNotContainIgnoringCase("mismatch")
                .doesNotContainIgnoringCase("not found")
                .doesNotContainIgnoringCase("out of order")
                .doesNotContainIgnoringCase("exception")
                .doesNotContainIgnoringCase("corrupt")
                .doesNotContainIgnoringCase("error");
        assertThat(out.lines().filter(l -> l.startsWith("Dumping")).count()).isEqualTo(indexes.size());
    }
}
