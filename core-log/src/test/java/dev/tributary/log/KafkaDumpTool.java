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
 * {@code -Dkafka.tools.lib} (default {@code /work/shared/bench/kafka-peer/lib}) exists, otherwise this test JVM's
 * own classpath, which carries kafka-tools as a test dependency, so the check also runs on a fresh machine.
 */
public final class KafkaDumpTool {
    static final Path KAFKA_LIB = Paths.get(System.getProperty("kafka.tools.lib", "/work/shared/bench/kafka-peer/lib"));

    private KafkaDumpTool() {
    }

    public static String run(String... args) throws Exception {
        String classpath = Files.isDirectory(KAFKA_LIB) ? KAFKA_LIB + "/*" : System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>(List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", classpath, "org.apache.kafka.tools.DumpLogSegments"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
