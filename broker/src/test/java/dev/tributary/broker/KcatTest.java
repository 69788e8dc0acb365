package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** librdkafka (Debian's kcat) as an independent client: produce with keys and headers, consume, -L. */
class KcatTest {
    private static TestBroker broker;
    private static String kcat;

    @BeforeAll
    static void start() {
        kcat = findOnPath("kcat");
        Assumptions.assumeTrue(kcat != null, "kcat is not on PATH (.ci/run installs it with apt-get)");
        broker = new TestBroker();
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static String findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, name);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static String run(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(kcat);
        cmd.add("-b");
        cmd.add(broker.bootstrap());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("kcat %s finished", cmd).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("kcat %s exit code; stderr: %s", cmd, err).isZero();
        return out;
    }

    @Test
    void shouldProduceAndConsumeKeysAndHeadersWithEveryCodec() throws Exception {
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            String topic = "kcat-" + codec;
            run("k1:v1\nk2:v2\nk3:v3\n", "-P", "-t", topic, "-K:", "-H", "source=kcat", "-z", codec);
            String out = run(null, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%k|%s|%h|%o\\n");
            assertThat(out.lines().toList())
                    .as("codec %s", codec)
                    .containsExactly("k1|v1|source=kcat|0", "k2|v2|source=kcat|1", "k3|v3|source=kcat|2");
        }
    }

    @Test
    void shouldListBrokerAndTopicsInMetadata() throws Exception {
        run("x\n", "-P", "-t", "kcat-meta");
        String out = run(null, "-L");
        assertThat(out)
                .contains("1 brokers:")
                .contains("broker 0 at " + broker.bootstrap() + " (controller)")
                .contains("topic \"kcat-meta\" with 1 partitions:")
                .contains("partition 0, leader 0, replicas: 0, isrs: 0");
    }
}
