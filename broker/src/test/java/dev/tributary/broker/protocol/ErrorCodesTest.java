package dev.tributary.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.errors.BrokerException;
import dev.tributary.broker.errors.MetadataRejectedException;
import dev.tributary.broker.group.GroupError;
import dev.tributary.broker.producer.ProducerError;
import dev.tributary.log.LogException;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.quorum.QuorumUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

/**
 * The error table is complete: every concrete exception type of the broker and of core-log has its own row,
 * found by scanning the compiled classes (a new exception without a row fails here, not in production as
 * UNKNOWN_SERVER_ERROR), and every group and producer outcome names a Kafka error.
 */
class ErrorCodesTest {

    @Test
    void shouldHaveARowForEveryBrokerException() throws Exception {
        List<Class<?>> types = concreteSubclasses(BrokerException.class);

        assertThat(types).as("broker exceptions found by the scan").hasSizeGreaterThan(5);
        assertThat(types)
                .allSatisfy(c -> assertThat(ErrorCodes.rows())
                        .as("row for " + c.getName())
                        .containsKey(cast(c)));
    }

    @Test
    void shouldMapEveryRefusalOfTheMetadataQuorumToAKafkaError() {
        assertThat(MetadataError.values())
                .allSatisfy(e ->
                        assertThat(ErrorCodes.metadataRows()).as("row for " + e).containsKey(e));
        assertThat(ErrorCodes.of(new MetadataRejectedException(MetadataError.TOPIC_ALREADY_EXISTS, "exists")))
                .isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(ErrorCodes.of(new QuorumUnavailableException("no leader", null)))
                .isEqualTo(Errors.REQUEST_TIMED_OUT);
    }

    @Test
    void shouldHaveARowForEveryCoreLogException() throws Exception {
        List<Class<?>> types = concreteSubclasses(LogException.class);

        assertThat(types).as("core-log exceptions found by the scan").hasSizeGreaterThan(3);
        assertThat(types)
                .allSatisfy(c -> assertThat(ErrorCodes.rows())
                        .as("row for " + c.getName())
                        .containsKey(cast(c)));
    }

    @Test
    void shouldMapEveryGroupOutcomeToTheKafkaErrorOfTheSameName() {
        for (GroupError e : GroupError.values()) {
            assertThat(ErrorCodes.of(e).name()).isEqualTo(e.name());
        }
    }

    @Test
    void shouldAnswerEveryProducerRefusalWithTheKafkaErrorOfItsName() {
        for (ProducerError e : ProducerError.values()) {
            assertThat(ErrorCodes.of(e.exception("refused"))).isEqualTo(Errors.valueOf(e.name()));
        }
    }

    @Test
    void shouldAnswerAFailedWriteWithStorageErrorNamingThePartitionButNoPath() {
        UncheckedIOException full = new UncheckedIOException(
                "orders-0: writing /var/lib/tributary/orders-0/00000000000000000000.log",
                new IOException("No space left on device"));
        UncheckedIOException denied =
                new UncheckedIOException(new java.nio.file.AccessDeniedException("/var/lib/tributary/x"));

        assertThat(ErrorCodes.of(full)).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
        assertThat(ErrorCodes.message(full, "orders-0"))
                .contains("orders-0")
                .contains("No space left on device")
                .doesNotContain("/var/lib");
        assertThat(ErrorCodes.message(denied, "orders-0"))
                .contains("AccessDeniedException")
                .doesNotContain("/var/lib");
        assertThat(ErrorCodes.toApiException(full).getMessage()).doesNotContain("/var/lib");
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends Throwable> cast(Class<?> c) {
        return (Class<? extends Throwable>) c;
    }

    /** Non-abstract subclasses of {@code base} among the classes of the jar or directory {@code base} was loaded from. */
    private static List<Class<?>> concreteSubclasses(Class<?> base) throws IOException, URISyntaxException {
        Path root =
                Path.of(base.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> files = Files.walk(root)) {
                files.map(root::relativize)
                        .map(Path::toString)
                        .filter(n -> n.endsWith(".class"))
                        .forEach(names::add);
            }
        } else {
            try (JarFile jar = new JarFile(root.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String n = e.nextElement().getName();
                    if (n.endsWith(".class")) {
                        names.add(n);
                    }
                }
            }
        }
        List<Class<?>> found = new ArrayList<>();
        for (String n : names) {
            String className = n.substring(0, n.length() - ".class".length())
                    .replace('/', '.')
                    .replace('\\', '.');
            if (className.endsWith("module-info") || className.endsWith("package-info")) {
                continue;
            }
            Class<?> c;
            try {
                c = Class.forName(className, false, base.getClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                continue;
            }
            if (base.isAssignableFrom(c) && c != base && !Modifier.isAbstract(c.getModifiers())) {
                found.add(c);
            }
        }
        return found;
    }
}
