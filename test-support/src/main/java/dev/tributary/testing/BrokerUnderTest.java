package dev.tributary.testing;

/**
 * The broker a module's end-to-end tests run against, chosen in one place by one system property,
 * {@code tributary.test.broker} ({@link #BROKER_PROPERTY}):
 *
 * <table>
 * <tr><th>value</th><th>broker</th><th>schema registry</th></tr>
 * <tr><td>unset, or {@code embedded}</td><td>Tributary's {@link EmbeddedBroker} in this JVM (the default)</td>
 *     <td>the one the broker hosts, if the builder asked for it</td></tr>
 * <tr><td>{@code HOST:PORT}</td><td>any Kafka-protocol broker that is already running there</td>
 *     <td>{@code -Dtributary.test.registry=URL}, if given</td></tr>
 * <tr><td>{@code apache-kafka}</td><td>Apache Kafka, started and stopped for the tests by the kafka-peer
 *     harness ({@link KafkaPeer})</td><td>Tributary's registry in this JVM, as Kafka's client</td></tr>
 * </table>
 *
 * <p>The external choices check that what a test proves does not depend on Tributary: the connectors and the
 * serde must behave the same against Apache Kafka.
 */
public abstract class BrokerUnderTest implements AutoCloseable {
    /** Which broker: unset or {@code embedded}, {@code HOST:PORT}, or {@code apache-kafka}. */
    public static final String BROKER_PROPERTY = "tributary.test.broker";
    /** The schema registry's URL when {@link #BROKER_PROPERTY} names a running broker. */
    public static final String REGISTRY_PROPERTY = "tributary.test.registry";

    /** The three kinds of broker {@link #BROKER_PROPERTY} can name. */
    public enum Kind {
        EMBEDDED,
        EXTERNAL,
        APACHE_KAFKA;

        /** Reads a value of {@link #BROKER_PROPERTY}; null or blank means embedded. */
        public static Kind of(String value) {
            String v = value == null ? "" : value.strip();
            if (v.isEmpty() || v.equals("embedded")) {
                return EMBEDDED;
            }
            if (v.equals("apache-kafka")) {
                return APACHE_KAFKA;
            }
            if (v.lastIndexOf(':') > 0 && v.lastIndexOf(':') < v.length() - 1) {
                return EXTERNAL;
            }
            throw new IllegalArgumentException("-D" + BROKER_PROPERTY + "=" + value
                    + ": expected embedded, apache-kafka or HOST:PORT of a running broker");
        }
    }

    BrokerUnderTest() {}

    /** The broker {@link #BROKER_PROPERTY} names; if that is the embedded one, with its hosted registry. */
    public static BrokerUnderTest start() {
        return start(EmbeddedBroker.builder().registry(true));
    }

    /** The broker {@link #BROKER_PROPERTY} names; if that is the embedded one, {@code embedded} starts it. */
    public static BrokerUnderTest start(EmbeddedBroker.Builder embedded) {
        String value = System.getProperty(BROKER_PROPERTY);
        return switch (Kind.of(value)) {
            case EMBEDDED -> new Embedded(embedded.start());
            case EXTERNAL -> new External(value.strip(), System.getProperty(REGISTRY_PROPERTY));
            case APACHE_KAFKA -> ApacheKafkaBroker.start(KafkaPeer.locate());
        };
    }

    public abstract Kind kind();

    /** {@code HOST:PORT} for {@code bootstrap.servers}. */
    public abstract String bootstrapServers();

    /** The schema registry's base URL; throws {@link IllegalStateException} when this broker has none. */
    public abstract String registryUrl();

    /** Stops broker and registry cleanly and starts them again on the same data (not for a running broker). */
    public abstract void restart();

    /** Stops what this started; a broker that was already running is left alone. */
    @Override
    public abstract void close();

    @Override
    public String toString() {
        return kind() + " broker at " + bootstrapServers();
    }

    private static final class Embedded extends BrokerUnderTest {
        private final EmbeddedBroker broker;

        Embedded(EmbeddedBroker broker) {
            this.broker = broker;
        }

        @Override
        public Kind kind() {
            return Kind.EMBEDDED;
        }

        @Override
        public String bootstrapServers() {
            return broker.bootstrapServers();
        }

        @Override
        public String registryUrl() {
            return broker.registryUrl();
        }

        @Override
        public void restart() {
            broker.restart();
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    private static final class External extends BrokerUnderTest {
        private final String bootstrap;
        private final String registryUrl;

        External(String bootstrap, String registryUrl) {
            this.bootstrap = bootstrap;
            this.registryUrl = registryUrl == null || registryUrl.isBlank() ? null : registryUrl.strip();
        }

        @Override
        public Kind kind() {
            return Kind.EXTERNAL;
        }

        @Override
        public String bootstrapServers() {
            return bootstrap;
        }

        @Override
        public String registryUrl() {
            if (registryUrl == null) {
                throw new IllegalStateException(
                        "no schema registry for the broker at " + bootstrap + ": set -D" + REGISTRY_PROPERTY + "=URL");
            }
            return registryUrl;
        }

        @Override
        public void restart() {
            throw new UnsupportedOperationException("the tests cannot restart the running broker at " + bootstrap);
        }

        @Override
        public void close() {
            // not ours to stop
        }
    }
}
