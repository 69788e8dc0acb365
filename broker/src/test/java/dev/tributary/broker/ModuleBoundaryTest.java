package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Only the protocol adapter speaks kafka-clients' wire classes; everything behind it works on our own
 * types. (The CLI is a Kafka client and uses Admin/Producer/Consumer, which is allowed.)
 */
class ModuleBoundaryTest {
    private static final Path SOURCES = Path.of("src/main/java/dev/tributary/broker");

    @Test
    void shouldKeepKafkaClientsImportsInsideTheProtocolAdapterAndTheCli() throws IOException {
        List<String> offenders;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(SOURCES.resolve("protocol")) && !p.startsWith(SOURCES.resolve("cli")))
                    .filter(p -> {
                        try {
                            return Files.readAllLines(p).stream()
                                    .anyMatch(l -> l.startsWith("import org.apache.kafka."));
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(Path::toString)
                    .toList();
        }
        assertThat(SOURCES.resolve("protocol")).isDirectory();
        assertThat(offenders)
                .as("files outside protocol/ and cli/ importing org.apache.kafka")
                .isEmpty();
    }
}
