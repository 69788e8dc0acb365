package dev.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class OpenListenerWarningTest {

    private static InetSocketAddress bound(String literal) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(literal), 9092);
    }

    @Test
    void shouldStayQuietOnALoopbackAddress() throws Exception {
        assertThat(OpenListenerWarning.of("The Kafka listener", bound("127.0.0.1")))
                .isEmpty();
        assertThat(OpenListenerWarning.of("The Kafka listener", bound("127.0.1.1")))
                .isEmpty();
        assertThat(OpenListenerWarning.of("The Kafka listener", bound("::1"))).isEmpty();
    }

    @Test
    void shouldWarnOnAWildcardOrAnyOtherAddress() throws Exception {
        for (String address : new String[] {"0.0.0.0", "::", "192.168.1.20", "10.0.0.1"}) {
            assertThat(OpenListenerWarning.of("The schema registry", bound(address)))
                    .hasValueSatisfying(w -> assertThat(w)
                            .startsWith("The schema registry is bound to ")
                            .contains(":9092")
                            .contains("no authentication or authorization"));
        }
    }

    @Test
    void shouldNameAWildcardAsEveryInterface() throws Exception {
        assertThat(OpenListenerWarning.of("The Kafka listener", bound("0.0.0.0")))
                .hasValueSatisfying(w -> assertThat(w)
                        .startsWith("The Kafka listener is bound to every network interface (0.0.0.0:9092)"));
        assertThat(OpenListenerWarning.of("The Kafka listener", bound("::")))
                .hasValueSatisfying(w -> assertThat(w).contains("every network interface ([0:0:0:0:0:0:0:0]:9092)"));
        assertThat(OpenListenerWarning.of("The Kafka listener", bound("192.168.1.20")))
                .hasValueSatisfying(w -> assertThat(w).startsWith("The Kafka listener is bound to 192.168.1.20:9092,"));
    }
}
