package dev.tributary.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.errors.InvalidConfigException;
import org.junit.jupiter.api.Test;

class ThrottledReplicasTest {
    private static final String KEY = ThrottledReplicas.LEADER_KEY;

    @Test
    void readsTheListKafkaReassignPartitionsWrites() {
        ThrottledReplicas r = ThrottledReplicas.parse(KEY, "0:1, 0:2,3:4");
        assertThat(r.contains(0, 1)).isTrue();
        assertThat(r.contains(0, 2)).isTrue();
        assertThat(r.contains(3, 4)).isTrue();
        assertThat(r.contains(0, 4)).isFalse();
        assertThat(r.contains(1, 1)).isFalse();
        assertThat(r.isEmpty()).isFalse();
    }

    @Test
    void aStarThrottlesEveryReplicaAndNothingThrottlesNone() {
        assertThat(ThrottledReplicas.parse(KEY, "*").contains(7, 9)).isTrue();
        assertThat(ThrottledReplicas.parse(KEY, "").isEmpty()).isTrue();
        assertThat(ThrottledReplicas.parse(KEY, null).contains(0, 0)).isFalse();
    }

    @Test
    void refusesAnEntryThatIsNotPartitionColonBroker() {
        assertThatThrownBy(() -> ThrottledReplicas.parse(KEY, "0:1,2"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(KEY)
                .hasMessageContaining("'2'");
        assertThatThrownBy(() -> ThrottledReplicas.parse(KEY, "a:1")).isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> ThrottledReplicas.parse(KEY, "-1:1")).isInstanceOf(InvalidConfigException.class);
    }
}
