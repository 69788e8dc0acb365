package dev.tributary.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.errors.InvalidConfigException;
import dev.tributary.broker.group.GroupConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {

    private static BrokerConfig with(String key, String value) {
        return BrokerConfig.fromMap(Map.of(key, value));
    }

    private static void assertRefused(ThrowingCallable call, String key, String value, String reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidConfigException.class, e -> {
            assertThat(e.key()).isEqualTo(key);
            assertThat(e.value()).isEqualTo(value);
            assertThat(e).hasMessage("Invalid value '" + value + "' for configuration " + key + ": " + reason);
        });
    }

    @Test
    void shouldReturnTheDefaultWhenAKeyIsNotSet() {
        BrokerConfig c = BrokerConfig.defaults();
        assertThat(c.getInt("a.b", 7, 0, 10)).isEqualTo(7);
        assertThat(c.getLong("a.b", 7L, 0, 10)).isEqualTo(7L);
        assertThat(c.getMs("a.b", 500, 1, Long.MAX_VALUE)).isEqualTo(500);
        assertThat(c.getDouble("a.b", 0.5, 0, 1)).isEqualTo(0.5);
        assertThat(c.getBoolean("a.b", true)).isTrue();
        assertThat(c.getList("a.b", List.of("x"))).containsExactly("x");
    }

    @Test
    void shouldParseSetValuesTrimmed() {
        assertThat(with("k", " 42 ").getInt("k", 0, 0, 100)).isEqualTo(42);
        assertThat(with("k", "8589934592").getLong("k", 0, 0, Long.MAX_VALUE)).isEqualTo(8_589_934_592L);
        assertThat(with("k", "0.25").getDouble("k", 0, 0, 1)).isEqualTo(0.25);
        assertThat(with("k", "TRUE").getBoolean("k", false)).isTrue();
        assertThat(with("k", "false").getBoolean("k", true)).isFalse();
        assertThat(with("k", " a, b ,,c ").getList("k", List.of())).containsExactly("a", "b", "c");
    }

    @Test
    void shouldRefuseAValueBelowOrAboveItsBoundsNamingKeyAndValue() {
        assertRefused(() -> with("k", "-1").getInt("k", 0, 0, 10), "k", "-1", "must be at least 0");
        assertRefused(() -> with("k", "11").getInt("k", 0, 0, 10), "k", "11", "must be at most 10");
        assertRefused(() -> with("k", "0").getMs("k", 5, 1, 100), "k", "0", "must be at least 1 ms");
        assertRefused(() -> with("k", "1.5").getDouble("k", 0, 0, 1), "k", "1.5", "must be between 0.0 and 1.0");
        assertRefused(() -> with("k", "NaN").getDouble("k", 0, 0, 1), "k", "NaN", "must be between 0.0 and 1.0");
    }

    @Test
    void shouldRefuseAnIntKeyWhoseValueOnlyFitsALong() {
        assertRefused(
                () -> with("k", "2147483648").getInt("k", 0, 0, Integer.MAX_VALUE),
                "k",
                "2147483648",
                "must be at most 2147483647");
    }

    @Test
    void shouldRefuseValuesThatDoNotParse() {
        assertRefused(() -> with("k", "ten").getInt("k", 0, 0, 10), "k", "ten", "not an integer");
        assertRefused(() -> with("k", "1e3").getLong("k", 0, 0, 10_000), "k", "1e3", "not an integer");
        assertRefused(() -> with("k", "half").getDouble("k", 0, 0, 1), "k", "half", "not a number");
        assertRefused(() -> with("k", "yes").getBoolean("k", false), "k", "yes", "expected true or false");
    }

    @Test
    void shouldRefuseABadBrokerSettingWhenTheConfigIsBuilt() {
        assertRefused(
                () -> with(BrokerConfig.NUM_PARTITIONS, "0"), BrokerConfig.NUM_PARTITIONS, "0", "must be at least 1");
        assertRefused(
                () -> with(BrokerConfig.LISTENERS, "127.0.0.1:70000"),
                BrokerConfig.LISTENERS,
                "127.0.0.1:70000",
                "bad port");
        assertRefused(
                () -> with(BrokerConfig.LOG_RETENTION_HOURS, "many"),
                BrokerConfig.LOG_RETENTION_HOURS,
                "many",
                "not an integer");
    }

    @Test
    void shouldRefuseALogCleanerSettingThatCoreLogRefusesWithTheSameException() {
        BrokerConfig c =
                BrokerConfig.fromMap(Map.of("log.cleaner.threads", "4", "log.cleaner.dedupe.buffer.size", "1000"));
        assertRefused(c::cleanerConfig, "log.cleaner.dedupe.buffer.size", "1000", "too small for 4 threads");
    }

    @Test
    void shouldRefuseAGroupSettingBeyondIntInsteadOfNarrowingIt() {
        // (int) 4294967296L is 0: a narrowed session timeout would silently become zero
        BrokerConfig c = with(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "4294967296");
        assertRefused(
                () -> GroupConfig.from(c),
                BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS,
                "4294967296",
                "must be at most 2147483647");
        assertThat(GroupConfig.from(with(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS, "60000"))
                        .maxSessionTimeoutMs())
                .isEqualTo(60_000);
        assertThat(GroupConfig.from(with(BrokerConfig.OFFSETS_RETENTION_MINUTES, "2"))
                        .offsetsRetentionMs())
                .isEqualTo(120_000L);
        assertRefused(
                () -> GroupConfig.from(with(BrokerConfig.OFFSETS_RETENTION_MINUTES, "153722867280912931")),
                BrokerConfig.OFFSETS_RETENTION_MINUTES,
                "153722867280912931",
                "must be at most 153722867280912");
    }

    @Test
    void shouldNameTheSettingsThatNobodyReads() {
        BrokerConfig c = BrokerConfig.fromMap(Map.of(
                "no.such.broker.setting", "1",
                "num.partitions", "3",
                "log.cleaner.threads", "1",
                "group.max.size", "10",
                "producer.id.expiration.ms", "1000",
                "registry.enable", "true",
                "log.retention.hourz", "1"));
        assertThat(c.unknownKeys(Set.of("registry.enable")))
                .containsExactly("log.retention.hourz", "no.such.broker.setting");
        assertThat(BrokerConfig.defaults().unknownKeys(Set.of())).isEmpty();
    }

    @Test
    void shouldTranslateCoarseRetentionSynonymsToMilliseconds() {
        assertThat(with(BrokerConfig.LOG_RETENTION_HOURS, "2").topicDefaults())
                .containsEntry("retention.ms", "7200000");
        assertThat(BrokerConfig.fromMap(Map.of(BrokerConfig.LOG_RETENTION_HOURS, "2", "log.retention.ms", "5"))
                        .topicDefaults())
                .containsEntry("retention.ms", "5");
    }
}
