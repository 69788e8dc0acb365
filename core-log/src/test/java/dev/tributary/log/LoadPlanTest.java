package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a partition directory's names say, without a directory. */
class LoadPlanTest {
    private static String seg(long base, String suffix) {
        return String.format("%020d", base) + suffix;
    }

    @Test
    void shouldOpenSegmentsInOffsetOrderAndRemoveLeftoversOfInterruptedWork() {
        LoadPlan plan = LoadPlan.of(List.of(
                seg(200, ".log"),
                seg(200, ".index"),
                seg(200, ".timeindex"),
                seg(0, ".log"),
                seg(0, ".index"),
                seg(100, ".log.deleted"),
                seg(100, ".index.deleted"),
                seg(300, ".log.cleaned"),
                seg(400, ".index"),
                seg(400, ".timeindex"),
                "log-state.checkpoint",
                "log-state.checkpoint.tmp",
                seg(0, ".snapshot.tmp"),
                "log-compacted"));
        assertThat(plan.segmentBases()).containsExactly(0L, 200L);
        assertThat(plan.leftovers())
                .containsExactlyInAnyOrder(
                        seg(100, ".log.deleted"),
                        seg(100, ".index.deleted"),
                        seg(300, ".log.cleaned"),
                        seg(400, ".index"),
                        seg(400, ".timeindex"),
                        "log-state.checkpoint.tmp",
                        seg(0, ".snapshot.tmp"));
    }

    @Test
    void shouldRecoverTheActiveSegmentAndThoseThatMayHoldOffsetsFromTheRecoveryPointOnAfterAnUncleanShutdown() {
        LoadPlan plan = LoadPlan.of(List.of(seg(0, ".log"), seg(100, ".log"), seg(200, ".log"), seg(300, ".log")));
        long recoveryPoint = 150;
        assertThat(plan.needsRecovery(0, false, recoveryPoint))
                .as("ends below the recovery point")
                .isFalse();
        assertThat(plan.needsRecovery(1, false, recoveryPoint))
                .as("holds the recovery point")
                .isTrue();
        assertThat(plan.needsRecovery(2, false, recoveryPoint)).isTrue();
        assertThat(plan.needsRecovery(3, false, Long.MAX_VALUE))
                .as("the active segment, always")
                .isTrue();
        for (int i = 0; i < 4; i++) {
            assertThat(plan.needsRecovery(i, true, 0))
                    .as("after a clean shutdown")
                    .isFalse();
        }
    }

    @Test
    void shouldReadThePartitionNumberOfADirectoryName() {
        assertThat(LoadPlan.partitionOf("orders-3")).isEqualTo(3);
        assertThat(LoadPlan.partitionOf("my-orders-12"))
                .as("the last dash counts")
                .isEqualTo(12);
        assertThat(LoadPlan.partitionOf("orders-x")).isEqualTo(-1);
        assertThat(LoadPlan.partitionOf("orders")).as("no dash").isEqualTo(-1);
        assertThat(LoadPlan.partitionOf("-3")).as("no topic").isEqualTo(-1);
    }
}
