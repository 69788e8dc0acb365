package dev.tributary.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class FailoverProbeTest {

    @Test
    void shouldIgnoreAcksOfRecordsSentBeforeTheLeaderWasGone() {
        FailoverProbe.AckWatch watch = new FailoverProbe.AckWatch();
        watch.onAck(100, 150, null);
        watch.markGone(1_000);
        // sent before the process was gone, acknowledged after: the old leader may have answered it
        watch.onAck(900, 1_200, null);
        assertThat(watch.firstAckAfterGone()).isEmpty();
        watch.onAck(1_001, 9_000, null);
        watch.onAck(1_002, 9_001, null);
        assertThat(watch.firstAckAfterGone()).isEqualTo(OptionalLong.of(9_000));
        assertThat(watch.acks.get()).isEqualTo(4);
    }

    @Test
    void shouldCountFailedSendsAsErrorsNotAcks() {
        FailoverProbe.AckWatch watch = new FailoverProbe.AckWatch();
        watch.markGone(1_000);
        watch.onAck(2_000, 3_000, new RuntimeException("expired"));
        assertThat(watch.firstAckAfterGone()).isEmpty();
        assertThat(watch.errors.get()).isEqualTo(1);
        assertThat(watch.acks.get()).isZero();
    }

    @Test
    void shouldParseNodePids() {
        assertThat(FailoverProbe.parsePids("1=100, 2=200,3=300")).isEqualTo(Map.of(1, 100L, 2, 200L, 3, 300L));
        assertThatThrownBy(() -> FailoverProbe.parsePids("1=100,2")).hasMessageContaining("'2'");
    }
}
