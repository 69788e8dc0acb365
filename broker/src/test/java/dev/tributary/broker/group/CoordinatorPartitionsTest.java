package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.group.CoordinatorPartitions.Loading;
import dev.tributary.broker.group.CoordinatorPartitions.NotOwned;
import dev.tributary.broker.group.CoordinatorPartitions.Served;
import org.junit.jupiter.api.Test;

/** The load and unload bookkeeping of the offsets partitions a node leads, on plain values. */
class CoordinatorPartitionsTest {

    private final CoordinatorPartitions<String> partitions = new CoordinatorPartitions<>();

    @Test
    void shouldOwnNothingAtFirst() {
        assertThat(partitions.lookup(0)).isInstanceOf(NotOwned.class);
        assertThat(partitions.served()).isEmpty();
        assertThat(partitions.anyLoading()).isFalse();
    }

    @Test
    void shouldBeLoadingFromLeadershipUntilTheLoadFinishesThenServe() {
        assertThat(partitions.startLoading(3, 7)).isNull();
        assertThat(partitions.lookup(3)).isEqualTo(new Loading<String>(7));
        assertThat(partitions.anyLoading()).isTrue();

        assertThat(partitions.finishLoading(3, 7, "coordinator-3")).isTrue();

        assertThat(partitions.lookup(3)).isEqualTo(new Served<>(7, "coordinator-3"));
        assertThat(partitions.served()).containsExactly("coordinator-3");
        assertThat(partitions.anyLoading()).isFalse();
        assertThat(partitions.lookup(4)).isInstanceOf(NotOwned.class);
    }

    @Test
    void shouldDropALoadThatFinishesAfterTheLeadershipWasLost() {
        partitions.startLoading(1, 2);
        partitions.unload(1);

        assertThat(partitions.finishLoading(1, 2, "stale")).isFalse();
        assertThat(partitions.lookup(1)).isInstanceOf(NotOwned.class);
        assertThat(partitions.served()).isEmpty();
    }

    @Test
    void shouldDropALoadOfAnOlderEpochWhenANewerLeadershipStartedMeanwhile() {
        partitions.startLoading(1, 2);
        partitions.startLoading(1, 3);

        assertThat(partitions.finishLoading(1, 2, "epoch-2")).isFalse();
        assertThat(partitions.lookup(1)).isEqualTo(new Loading<String>(3));
        assertThat(partitions.finishLoading(1, 3, "epoch-3")).isTrue();
        assertThat(partitions.served()).containsExactly("epoch-3");
    }

    @Test
    void shouldHandBackWhatServedWhenTheLeadershipEndsOrStartsOver() {
        partitions.startLoading(0, 1);
        partitions.finishLoading(0, 1, "first");

        assertThat(partitions.startLoading(0, 4))
                .as("led again under a new epoch")
                .isEqualTo("first");
        assertThat(partitions.served()).isEmpty();
        partitions.finishLoading(0, 4, "second");

        assertThat(partitions.unload(0)).isEqualTo("second");
        assertThat(partitions.unload(0)).as("unloading twice").isNull();
        assertThat(partitions.lookup(0)).isInstanceOf(NotOwned.class);
    }

    @Test
    void shouldHandBackNothingWhenUnloadingAPartitionStillLoading() {
        partitions.startLoading(5, 1);

        assertThat(partitions.unload(5)).isNull();
        assertThat(partitions.anyLoading()).isFalse();
    }
}
