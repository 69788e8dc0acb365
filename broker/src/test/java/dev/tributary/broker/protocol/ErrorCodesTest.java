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

    @Test
    void shouldTurnALeadersErrorCodeBackIntoTheExceptionALocalCallThrows() {
        assertThat(ErrorCodes.exceptionFor(Errors.NOT_LEADER_OR_FOLLOWER.code(), "m"))
                .isInstanceOf(dev.tributary.broker.errors.NotLeaderOrFollowerException.class)
                .hasMessage("m");
        assertThat(ErrorCodes.exceptionFor(Errors.FENCED_LEADER_EPOCH.code(), "m"))
                .isInstanceOf(dev.tributary.broker.errors.FencedLeaderEpochException.class);
        assertThat(ErrorCodes.exceptionFor(Errors.UNKNOWN_LEADER_EPOCH.code(), "m"))
                .isInstanceOf(dev.tributary.broker.errors.UnknownLeaderEpochException.class);
        assertThat(ErrorCodes.exceptionFor(Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), "m"))
                .isInstanceOf(dev.tributary.broker.errors.UnknownTopicOrPartitionException.class);
        assertThat(ErrorCodes.exceptionFor(Errors.NOT_ENOUGH_REPLICAS.code(), "m"))
                .isInstanceOf(dev.tributary.broker.errors.NotEnoughReplicasException.class);
        assertThat(ErrorCodes.exceptionFor(Errors.NOT_ENOUGH_REPLICAS_AFTER_APPEND.code(), "m"))
                .isInstanceOf(dev.tributary.broker.errors.NotEnoughReplicasAfterAppendException.class);
        assertThat(ErrorCodes.exceptionFor(Errors.OFFSET_OUT_OF_RANGE.code(), "m"))
                .isInstanceOf(dev.tributary.log.OffsetOutOfRangeException.class)
                .hasMessageStartingWith("m");
    }

    @Test
    void shouldCarryTheNameAndAddressOfAnErrorWithoutAClassOfItsOwn() {
        RuntimeException e = ErrorCodes.exceptionFor(Errors.THROTTLING_QUOTA_EXCEEDED.code(), "10.0.0.2:9092", "m");

        assertThat(e).isInstanceOf(dev.tributary.broker.errors.ReplicaFetchException.class);
        dev.tributary.broker.errors.ReplicaFetchException r = (dev.tributary.broker.errors.ReplicaFetchException) e;
        assertThat(r.errorName()).isEqualTo("THROTTLING_QUOTA_EXCEEDED");
        assertThat(r.address()).isEqualTo("10.0.0.2:9092");
        assertThat(r.getMessage()).contains("10.0.0.2:9092").contains("THROTTLING_QUOTA_EXCEEDED");
        RuntimeException unknown = ErrorCodes.exceptionFor((short) 31_000, "m");
        assertThat(((dev.tributary.broker.errors.ReplicaFetchException) unknown).errorName())
                .contains("31000");
        assertThat(ErrorCodes.of(unknown)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    @Test
    void shouldMapEveryKafkaErrorBackToItsOwnCode() {
        for (Errors e : Errors.values()) {
            if (e == Errors.NONE) {
                continue;
            }
            assertThat(ErrorCodes.of(ErrorCodes.exceptionFor(e.code(), "m")))
                    .as("round trip of " + e)
                    .isEqualTo(e);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ErrorCodes.exceptionFor(Errors.NONE.code(), "m"))
                .isInstanceOf(IllegalArgumentException.class);
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
