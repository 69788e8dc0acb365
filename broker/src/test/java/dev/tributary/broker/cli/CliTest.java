package dev.tributary.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.TestBroker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The command-line tools in process, against a real broker. */
class CliTest {
    private static TestBroker broker;

    @BeforeAll
    static void start() {
        broker = new TestBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String stdin, String... args) {
        InputStream oldIn = System.in;
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setIn(new ByteArrayInputStream((stdin == null ? "" : stdin).getBytes(StandardCharsets.UTF_8)));
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            String[] full = new String[args.length + 2];
            System.arraycopy(args, 0, full, 0, args.length);
            full[args.length] = "-b";
            full[args.length + 1] = broker.bootstrap();
            int code = TributaryCommand.commandLine().execute(full);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setIn(oldIn);
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void shouldCreateProduceAndConsumeFromTheCommandLine() {
        assertThat(run(null, "topics", "create", "cli", "--partitions", "1", "--config", "retention.ms=86400000")
                        .out())
                .contains("Created topic cli");
        assertThat(run(null, "topics", "list").out().lines()).contains("cli");
        assertThat(run("k1:one\nk2:two\nk3:three\n", "produce", "cli", "--key-separator", ":")
                        .err())
                .contains("Produced 3 records to cli");
        Result all = run(null, "consume", "cli", "--from-beginning", "--max", "3", "--print-key");
        assertThat(all.out().lines()).containsExactly("k1\tone", "k2\ttwo", "k3\tthree");
        assertThat(run(null, "consume", "cli", "--offset", "2", "--max", "1")
                        .out()
                        .lines())
                .containsExactly("three");
        assertThat(run(null, "consume", "cli", "--from-timestamp", "2000-01-01T00:00:00Z", "--max", "1")
                        .out()
                        .lines())
                .containsExactly("one");
        String described = run(null, "topics", "describe", "cli").out();
        assertThat(described)
                .contains("PartitionCount: 1")
                .contains("retention.ms=86400000")
                .contains("LogEndOffset: 3");
        assertThat(run(null, "topics", "alter", "cli", "--set", "retention.ms=1000", "--partitions", "2")
                        .out())
                .contains("Updated configs of cli")
                .contains("cli now has 2 partitions");
        assertThat(run(null, "topics", "delete", "cli").out()).contains("Deleted cli");
    }

    @Test
    void shouldReportABadConfigValueWithKeyAndValue() {
        Result r = run(null, "topics", "create", "bad", "--config", "segment.bytes=tiny");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error:").contains("segment.bytes").contains("tiny");
    }

    @Test
    void passesTheReplicationFactorToTheBrokerWhichRefusesMoreReplicasThanItHasNodes() {
        assertThat(run(null, "topics", "create", "one-copy", "-r", "1").out()).contains("Created topic one-copy");
        Result r = run(null, "topics", "create", "two-copies", "--replication-factor", "2");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("error:").containsIgnoringCase("replication factor");
        assertThat(run(null, "topics", "list").out().lines())
                .contains("one-copy")
                .doesNotContain("two-copies");
    }
}
