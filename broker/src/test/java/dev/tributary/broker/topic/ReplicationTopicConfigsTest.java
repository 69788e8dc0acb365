package dev.tributary.broker.topic;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.errors.InvalidConfigException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicationTopicConfigsTest {

    @Test
    void acceptsKafkasValuesAndLeavesOtherKeysToTheirOwners() {
        assertThatCode(() -> ReplicationTopicConfigs.validate(Map.of(
                        "min.insync.replicas", " 2",
                        "unclean.leader.election.enable", "TRUE",
                        "retention.ms", "not checked here")))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAValueOutOfRangeNamingTheKeyAndTheValue() {
        assertThatThrownBy(() -> ReplicationTopicConfigs.validate("min.insync.replicas", "0"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("min.insync.replicas")
                .hasMessageContaining("0")
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> ReplicationTopicConfigs.validate("min.insync.replicas", "two"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("two");
        assertThatThrownBy(() -> ReplicationTopicConfigs.validate("unclean.leader.election.enable", "yes"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("true or false");
    }
}
