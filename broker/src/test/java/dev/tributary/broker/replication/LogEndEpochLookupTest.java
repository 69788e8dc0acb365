package dev.tributary.broker.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.errors.UnknownTopicOrPartitionException;
import dev.tributary.broker.partition.PartitionId;
import dev.tributary.log.epoch.EpochEndOffset;
import org.junit.jupiter.api.Test;

class LogEndEpochLookupTest {
    private static final PartitionId KNOWN = new PartitionId("t", 0);
    private final EpochLookup lookup = new LogEndEpochLookup(p -> {
        if (!p.equals(KNOWN)) {
            throw new UnknownTopicOrPartitionException(p + " is not here");
        }
        return 120;
    });

    @Test
    void shouldEndEveryEpochAtTheLogEnd() {
        assertThat(lookup.endOffsetFor(KNOWN, EpochLookup.NOT_CHECKED, 0)).isEqualTo(new EpochEndOffset(0, 120));
        assertThat(lookup.endOffsetFor(KNOWN, 7, 5)).isEqualTo(new EpochEndOffset(5, 120));
    }

    @Test
    void shouldNotSayWhereAnUndefinedEpochEnds() {
        assertThat(lookup.endOffsetFor(KNOWN, EpochLookup.NOT_CHECKED, -1)).isEqualTo(EpochEndOffset.UNDEFINED);
    }

    @Test
    void shouldRefuseAPartitionThatIsNotServedHere() {
        assertThatThrownBy(() -> lookup.endOffsetFor(new PartitionId("t", 1), -1, 0))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
        assertThatThrownBy(() -> lookup.endOffsetFor(new PartitionId("t", 1), -1, -1))
                .isInstanceOf(UnknownTopicOrPartitionException.class);
    }
}
