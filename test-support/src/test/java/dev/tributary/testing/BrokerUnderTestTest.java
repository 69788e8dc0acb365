package dev.tributary.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.testing.BrokerUnderTest.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerUnderTestTest {

    @Test
    void shouldRunEmbeddedWhenThePropertyIsUnsetBlankOrEmbedded() {
        assertThat(Kind.of(null)).isEqualTo(Kind.EMBEDDED);
        assertThat(Kind.of(" ")).isEqualTo(Kind.EMBEDDED);
        assertThat(Kind.of("embedded")).isEqualTo(Kind.EMBEDDED);
    }

    @Test
    void shouldTakeHostAndPortAsARunningBroker() {
        assertThat(Kind.of("127.0.0.1:9092")).isEqualTo(Kind.EXTERNAL);
        assertThat(Kind.of("kafka-1.example:9093")).isEqualTo(Kind.EXTERNAL);
        assertThat(Kind.of("apache-kafka")).isEqualTo(Kind.APACHE_KAFKA);
    }

    @Test
    void shouldRefuseAValueThatIsNeitherAKindNorHostAndPort() {
        // a typo must not be taken as the host name of an external broker
        for (String typo : new String[] {"apache_kafka", "Embedded", "localhost", "localhost:", ":9092"}) {
            assertThatThrownBy(() -> Kind.of(typo))
                    .as(typo)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(BrokerUnderTest.BROKER_PROPERTY)
                    .hasMessageContaining(typo);
        }
    }

    @Test
    void shouldNotStopARunningBrokerItDidNotStart() {
        BrokerUnderTest external = externalAt("127.0.0.1:1");
        external.close();
        assertThatThrownBy(external::restart).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(external::registryUrl)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(BrokerUnderTest.REGISTRY_PROPERTY);
    }

    @Test
    void shouldFindTheKafkaPeerHarnessBesideTheCheckoutFromAModuleDirectory(@TempDir Path root) throws IOException {
        Path checkout = Files.createDirectories(root.resolve("repo"));
        Files.writeString(checkout.resolve("pom.xml"), "<project/>");
        Files.createDirectories(checkout.resolve("test-support"));
        Files.writeString(checkout.resolve("test-support/pom.xml"), "<project/>");
        Path module = Files.createDirectories(checkout.resolve("serde/src"));

        Path expected = root.resolve("shared/bench/kafka-peer");
        assertThat(KafkaPeer.besideCheckout(module)).isEqualTo(expected);
        assertThat(KafkaPeer.besideCheckout(checkout)).isEqualTo(expected);
        assertThat(KafkaPeer.besideCheckout(root)).as("outside any checkout").isNull();
    }

    private static BrokerUnderTest externalAt(String bootstrap) {
        String before = System.getProperty(BrokerUnderTest.BROKER_PROPERTY);
        System.setProperty(BrokerUnderTest.BROKER_PROPERTY, bootstrap);
        try {
            BrokerUnderTest b = BrokerUnderTest.start(EmbeddedBroker.builder());
            assertThat(b.kind()).isEqualTo(Kind.EXTERNAL);
            assertThat(b.bootstrapServers()).isEqualTo(bootstrap);
            return b;
        } finally {
            if (before == null) {
                System.clearProperty(BrokerUnderTest.BROKER_PROPERTY);
            } else {
                System.setProperty(BrokerUnderTest.BROKER_PROPERTY, before);
            }
        }
    }
}
