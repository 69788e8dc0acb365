package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.RetentionPolicy.Decision;
import dev.tributary.log.RetentionPolicy.Reason;
import dev.tributary.log.RetentionPolicy.SegmentStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retention decision without files. */
class RetentionPolicyTest {
    // four segments of 100 bytes with offsets 0, 10, 20, 30 and largest timestamps 1000, 2000, 3000, 4000
    static final List<SegmentStats> SEGS = List.of(
            new SegmentStats(0, 100, 1000),
            new SegmentStats(10, 100, 2000),
            new SegmentStats(20, 100, 3000),
            new SegmentStats(30, 100, 4000));

    static LogConfig cfg(String... kv) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return LogConfig.fromMap(m);
    }

    @Test
    void shouldDeleteNothingWithinLimits() {
        assertThat(RetentionPolicy.decide(SEGS, cfg("retention.ms", "10000"), 5000, 0))
                .isEqualTo(new Decision(0, Reason.NONE));
    }

    @Test
    void shouldDeletePrefixOlderThanRetentionMs() {
        assertThat(RetentionPolicy.decide(SEGS, cfg("retention.ms", "2500"), 5000, 0))
                .isEqualTo(new Decision(2, Reason.TIME));
    }

    @Test
    void shouldKeepActiveSegmentEvenIfExpired() {
        assertThat(RetentionPolicy.decide(SEGS, cfg("retention.ms", "0"), 100_000, 0))
                .isEqualTo(new Decision(3, Reason.TIME));
    }

    @Test
    void shouldDeleteBySizeWhileStayingAtOrAboveTheLimit() {
        assertThat(RetentionPolicy.decide(SEGS, cfg("retention.ms", "-1", "retention.bytes", "250"), 0, 0))
                .isEqualTo(new Decision(1, Reason.SIZE));
        assertThat(RetentionPolicy.decide(SEGS, cfg("retention.ms", "-1", "retention.bytes", "200"), 0, 0))
                .isEqualTo(new Decision(2, Reason.SIZE));
    }

    @Test
    void shouldDeleteSegmentsWhollyBelowLogStartOffset() {
        assertThat(RetentionPolicy.decide(SEGS, cfg("retention.ms", "-1"), 0, 20))
                .isEqualTo(new Decision(2, Reason.LOG_START_OFFSET));
        assertThat(RetentionPolicy.decide(SEGS, cfg("retention.ms", "-1"), 0, 19))
                .isEqualTo(new Decision(1, Reason.LOG_START_OFFSET));
    }

    @Test
    void shouldIgnoreTimeAndSizeUnderCompactOnly() {
        assertThat(RetentionPolicy.decide(
                        SEGS,
                        cfg("cleanup.policy", "compact", "retention.ms", "0", "retention.bytes", "0"),
                        100_000,
                        0))
                .isEqualTo(new Decision(0, Reason.NONE));
        assertThat(RetentionPolicy.decide(SEGS, cfg("cleanup.policy", "compact"), 0, 30))
                .isEqualTo(new Decision(3, Reason.LOG_START_OFFSET));
    }
}
