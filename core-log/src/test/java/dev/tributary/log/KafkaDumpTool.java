package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Apache Kafka's own {@code org.apache.kafka.tools.DumpLogSegments} (kafka-tools 4.3.1) in a child JVM and
 * returns what it printed, failing on a non-zero exit. The classpath is the kafka-peer harness's jars when
 * they exist ({@code -Dkafka.tools.lib=DIR}, by default {@code ../shared/bench/kafka-peer/lib} beside the
 * checkout), otherwise this test JVM's own classpath, which carries kafka-tools as a test dependency, so the
 * check also runs on a fresh machine.
 */
public final class KafkaDumpTool {
    static final Path KAFKA_LIB = kafkaLib();

    private KafkaDumpTool() {}

    /** {@code -Dkafka.tools.lib}, else the harness's lib beside the checkout holding the working directory. */
    private static Path kafkaLib() {
        String set = System.getProperty("kafka.tools.lib");
        if (set != null && !set.isBlank()) {
            return Paths.get(set);
        }
        // Maven runs the tests in the module directory; the checkout root is the first parent with core-log/
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("core-log/pom.xml"))) {
                return dir.resolveSibling("shared").resolve("bench/kafka-peer/lib");
            }
        }
        return null;
    }

    public static String run(String... args) throws Exception {
        String classpath = KAFKA_LIB != null && Files.isDirectory(KAFKA_LIB)
                ? KAFKA_LIB + "/*"
                : System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                classpath,
                "org.apache.kafka.tools.DumpLogSegments"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
