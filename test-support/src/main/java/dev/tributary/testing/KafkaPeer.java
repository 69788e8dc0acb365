package dev.tributary.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the kafka-peer harness is: the scripts that install, start and stop Apache Kafka next to Tributary
 * for conformance tests and benchmarks. It lives outside the repository, in {@code ../shared/bench/kafka-peer}
 * beside the checkout, or wherever {@code -Dtributary.test.kafka-peer=DIR} ({@link #PROPERTY}) says.
 */
public final class KafkaPeer {
    /** The harness directory, overriding the one found beside the checkout. */
    public static final String PROPERTY = "tributary.test.kafka-peer";

    private KafkaPeer() {}

    /** The harness directory; throws {@link IllegalStateException} saying what to set when there is none. */
    public static Path locate() {
        String set = System.getProperty(PROPERTY);
        Path dir = set != null && !set.isBlank()
                ? Path.of(set.strip())
                : besideCheckout(Path.of(System.getProperty("user.dir")));
        if (dir == null || !Files.isRegularFile(dir.resolve("start-kafka.sh"))) {
            throw new IllegalStateException("the kafka-peer harness was not found" + (dir == null ? "" : " at " + dir)
                    + ": set -D" + PROPERTY + "=DIR");
        }
        return dir;
    }

    /**
     * {@code ../shared/bench/kafka-peer} beside the checkout that holds {@code from} (a module directory, where
     * Maven runs the tests, or the checkout root), or null when {@code from} is not inside a checkout.
     */
    static Path besideCheckout(Path from) {
        for (Path dir = from.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))
                    && Files.isRegularFile(dir.resolve("test-support/pom.xml"))) {
                return dir.resolveSibling("shared").resolve("bench").resolve("kafka-peer");
            }
        }
        return null;
    }
}
