package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When a log forces its data, on a clock that is just a number. */
class FlushScheduleTest {
    @Test
    void shouldFlushToTheLogEndOnceFlushMsPassedWithRecordsWaiting() {
        FlushSchedule s = new FlushSchedule(1_000);
        assertThat(s.takeDue(5_000, 1_000, 10, 0)).as("nothing appended").isEqualTo(FlushSchedule.NOT_DUE);
        s.appended(3);
        assertThat(s.takeDue(1_500, 1_000, 10, 0)).as("flush.ms not yet passed").isEqualTo(FlushSchedule.NOT_DUE);
        assertThat(s.takeDue(2_000, 1_000, 10, 0)).isEqualTo(10);
        assertThat(s.takeDue(9_000, 1_000, 10, 0))
                .as("taken: nothing waits any more")
                .isEqualTo(FlushSchedule.NOT_DUE);
    }

    @Test
    void shouldFlushTheSegmentsBeforeTheActiveOneAfterARoll() {
        FlushSchedule s = new FlushSchedule(1_000);
        s.rolled();
        assertThat(s.takeDue(1_001, Long.MAX_VALUE, 50, 40)).isEqualTo(40);
        assertThat(s.takeDue(1_002, Long.MAX_VALUE, 50, 40)).isEqualTo(FlushSchedule.NOT_DUE);
    }

    @Test
    void shouldAskForASynchronousFlushAtFlushMessagesAndForgetAfterAFullFlush() {
        FlushSchedule s = new FlushSchedule(0);
        s.appended(4);
        assertThat(s.messagesDue(5)).isFalse();
        s.appended(1);
        assertThat(s.messagesDue(5)).isTrue();
        s.rolled();
        s.flushedAll(10);
        assertThat(s.messagesDue(5)).isFalse();
        assertThat(s.takeDue(Long.MAX_VALUE, 0, 99, 0)).isEqualTo(FlushSchedule.NOT_DUE);
    }
}
