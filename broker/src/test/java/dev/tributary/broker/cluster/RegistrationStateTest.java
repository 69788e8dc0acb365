package dev.tributary.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.cluster.RegistrationState.Status;
import dev.tributary.broker.cluster.RegistrationState.Step;
import dev.tributary.metadata.command.CommandResult.Done;
import dev.tributary.metadata.command.CommandResult.HeartbeatAccepted;
import dev.tributary.metadata.command.CommandResult.Rejected;
import dev.tributary.metadata.command.MetadataError;
import org.junit.jupiter.api.Test;

/** The registration rules with a manual clock: register, unfence, heartbeat, and what each answer leads to. */
class RegistrationStateTest {
    private static final long HEARTBEAT = 500;

    private static RegistrationState active(long now) {
        RegistrationState s = new RegistrationState(HEARTBEAT, now);
        s.answered(Step.REGISTER, new Done(), now);
        s.answered(Step.UNFENCE, new Done(), now);
        return s;
    }

    @Test
    void registersThenUnfencesThenHeartbeatsEveryInterval() {
        RegistrationState s = new RegistrationState(HEARTBEAT, 1000);
        assertThat(s.step()).isEqualTo(Step.REGISTER);
        assertThat(s.isDue(1000)).isTrue();
        assertThat(s.status()).isEqualTo(Status.NOT_REGISTERED);

        s.answered(Step.REGISTER, new Done(), 1010);
        assertThat(s.step()).isEqualTo(Step.UNFENCE);
        assertThat(s.status()).isEqualTo(Status.FENCED);
        assertThat(s.isDue(1010)).isTrue();

        s.answered(Step.UNFENCE, new Done(), 1020);
        assertThat(s.step()).isEqualTo(Step.HEARTBEAT);
        assertThat(s.status()).isEqualTo(Status.ACTIVE);
        assertThat(s.isDue(1519)).isFalse();
        assertThat(s.isDue(1520)).isTrue();

        s.answered(Step.HEARTBEAT, new HeartbeatAccepted(false), 1521);
        assertThat(s.step()).isEqualTo(Step.HEARTBEAT);
        assertThat(s.dueMs()).isEqualTo(2021);
    }

    @Test
    void registersAgainWhenTheQuorumHasAnotherIncarnationOrNone() {
        for (MetadataError error :
                new MetadataError[] {MetadataError.STALE_BROKER_INCARNATION, MetadataError.UNKNOWN_BROKER}) {
            RegistrationState s = active(0);
            s.answered(Step.HEARTBEAT, new Rejected(error, "x"), 600);
            assertThat(s.step()).as(error.name()).isEqualTo(Step.REGISTER);
            assertThat(s.status()).isEqualTo(Status.NOT_REGISTERED);
            assertThat(s.isDue(600)).isTrue();

            RegistrationState fenced = new RegistrationState(HEARTBEAT, 0);
            fenced.answered(Step.REGISTER, new Done(), 0);
            fenced.answered(Step.UNFENCE, new Rejected(error, "x"), 10);
            assertThat(fenced.step()).as(error.name()).isEqualTo(Step.REGISTER);
        }
    }

    @Test
    void unfencesAgainWhenAHeartbeatSaysTheSessionWasFenced() {
        RegistrationState s = active(0);
        s.answered(Step.HEARTBEAT, new HeartbeatAccepted(true), 700);
        assertThat(s.step()).isEqualTo(Step.UNFENCE);
        assertThat(s.status()).isEqualTo(Status.FENCED);
        assertThat(s.isDue(700)).isTrue();
    }

    @Test
    void retriesTheSameStepWithADoublingBackoffCappedAtTheHeartbeatInterval() {
        RegistrationState s = new RegistrationState(HEARTBEAT, 0);
        long now = 0;
        long[] expectedBackoff = {100, 200, 400, 500, 500};
        for (long backoff : expectedBackoff) {
            s.unanswered(Step.REGISTER, now);
            assertThat(s.step()).isEqualTo(Step.REGISTER);
            assertThat(s.dueMs() - now).isEqualTo(backoff);
            now = s.dueMs();
        }
        // a refusal that registering again cannot cure backs off the same way
        s.answered(Step.REGISTER, new Rejected(MetadataError.INVALID_REQUEST, "bad"), now);
        assertThat(s.step()).isEqualTo(Step.REGISTER);
        assertThat(s.dueMs() - now).isEqualTo(500);
        // success resets the backoff
        s.answered(Step.REGISTER, new Done(), now);
        s.unanswered(Step.UNFENCE, now);
        assertThat(s.dueMs() - now).isEqualTo(100);
    }

    @Test
    void ignoresALateAnswerToAStepThatIsNoLongerCurrent() {
        RegistrationState s = active(0);
        s.answered(Step.REGISTER, new Done(), 100);
        s.unanswered(Step.UNFENCE, 100);
        assertThat(s.step()).isEqualTo(Step.HEARTBEAT);
        assertThat(s.dueMs()).isEqualTo(HEARTBEAT);
    }

    @Test
    void losesItsSessionWhenNoHeartbeatIsAcceptedForASessionTimeoutAndRegainsItWithTheNextOne() {
        RegistrationState s = active(1000);
        assertThat(s.hasLostSession(1000 + 3000, 3000)).isFalse();
        s.unanswered(Step.HEARTBEAT, 1500);
        s.unanswered(Step.HEARTBEAT, 3000);
        assertThat(s.hasLostSession(4000, 3000)).isFalse();
        assertThat(s.hasLostSession(4001, 3000)).isTrue();

        s.answered(Step.HEARTBEAT, new HeartbeatAccepted(false), 4100);
        assertThat(s.hasLostSession(4100, 3000)).isFalse();
        assertThat(s.hasLostSession(7100, 3000)).isFalse();
        assertThat(s.hasLostSession(7101, 3000)).isTrue();
    }

    @Test
    void aBrokerThatIsNotActiveHasNoSessionToLose() {
        RegistrationState s = new RegistrationState(HEARTBEAT, 1000);
        assertThat(s.hasLostSession(1_000_000, 3000)).isFalse();
        s.answered(Step.REGISTER, new Done(), 1010);
        assertThat(s.hasLostSession(1_000_000, 3000)).isFalse();
    }
}
