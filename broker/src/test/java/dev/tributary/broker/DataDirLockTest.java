package dev.tributary.broker;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.config.BrokerConfig;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataDirLockTest {

    @Test
    void shouldRefuseASecondBrokerOnTheSameDataDir() {
        try (TestBroker first = new TestBroker()) {
            BrokerConfig second = BrokerConfig.fromMap(Map.of(
                    "listeners", "127.0.0.1:0", "log.dirs", first.dataDir().toString()));
            assertThatThrownBy(() -> Broker.start(second))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("in use by another broker");
            first.restart(); // the lock is released by a clean stop
        }
    }
}
