package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LogConfigTest {
    @Test
    void shouldHaveKafkaDefaults() {
        LogConfig c = LogConfig.defaults();
        assertThat(c.segmentBytes()).isEqualTo(1 << 30);
        assertThat(c.segmentMs()).isEqualTo(7 * 24 * 3600 * 1000L);
        assertThat(c.segmentIndexBytes()).isEqualTo(10 * 1024 * 1024);
        assertThat(c.indexIntervalBytes()).isEqualTo(4096);
        assertThat(c.retentionMs()).isEqualTo(7 * 24 * 3600 * 1000L);
        assertThat(c.retentionBytes()).isEqualTo(-1);
        assertThat(c.flushMessages()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.flushMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.timestampType()).isEqualTo(LogConfig.TimestampType.CREATE_TIME);
        assertThat(c.maxMessageBytes()).isEqualTo(1048588);
        assertThat(c.fileDeleteDelayMs()).isEqualTo(60000);
        assertThat(c.cleanupPolicy()).isEqualTo("delete");
        assertThat(c.minCleanableDirtyRatio()).isEqualTo(0.5);
        assertThat(c.deleteRetentionMs()).isEqualTo(86_400_000L);
        assertThat(c.minCompactionLagMs()).isZero();
        assertThat(c.maxCompactionLagMs()).isEqualTo(Long.MAX_VALUE);
        assertThat(c.toMap().keySet())
                .containsExactlyElementsOf(
                        LogConfig.KEYS.stream().map(LogConfig.ConfigKey::name).toList());
    }

    @Test
    void shouldApplyOverridesAndRoundTripThroughMap() {
        LogConfig c = LogConfig.fromMap(Map.of(
                "segment.bytes",
                "1048576",
                "message.timestamp.type",
                "LogAppendTime",
                "cleanup.policy",
                "delete, compact",
                "unknown.key",
                "ignored"));
        assertThat(c.segmentBytes()).isEqualTo(1048576);
        assertThat(c.timestampType()).isEqualTo(LogConfig.TimestampType.LOG_APPEND_TIME);
        assertThat(c.compact()).isTrue();
        assertThat(c.delete()).isTrue();
        assertThat(c.cleanupPolicy()).isEqualTo("compact,delete");
        assertThat(LogConfig.fromMap(c.toMap())).isEqualTo(c);
        LogConfig d = c.withOverrides(Map.of("retention.ms", "-1"));
        assertThat(d.retentionMs()).isEqualTo(-1);
        assertThat(d.segmentBytes()).isEqualTo(1048576);
    }

    @Test
    void shouldNameKeyAndValueOfInvalidSettings() {
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("segment.bytes", "lots")))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("segment.bytes");
                    assertThat(e.value()).isEqualTo("lots");
                    assertThat(e.getMessage()).contains("segment.bytes").contains("lots");
                });
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("segment.bytes", "4294967296")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("4294967296");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("retention.ms", "-2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retention.ms")
                .hasMessageContaining("-2");
        assertThatThrownBy(() -> LogConfig.defaults().withOverrides(Map.of("message.timestamp.type", "Now")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("message.timestamp.type")
                .hasMessageContaining("Now");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("cleanup.policy", "shred")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("shred");
        assertThatThrownBy(() -> LogConfig.fromMap(Map.of("min.cleanable.dirty.ratio", "1.5")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("1.5");
    }
}
