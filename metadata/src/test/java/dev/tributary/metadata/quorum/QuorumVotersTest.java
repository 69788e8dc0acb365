package dev.tributary.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.metadata.quorum.QuorumVoters.Voter;
import org.junit.jupiter.api.Test;

class QuorumVotersTest {

    @Test
    void shouldParseKafkasSyntax() {
        QuorumVoters voters = QuorumVoters.parse("1@127.0.0.1:9095, 2@node-b.example:9095,3@[::1]:19095");
        assertThat(voters.voters())
                .containsExactly(
                        new Voter(1, "127.0.0.1", 9095),
                        new Voter(2, "node-b.example", 9095),
                        new Voter(3, "::1", 19095));
        assertThat(voters.require(3).address()).isEqualTo("[::1]:19095");
        assertThat(voters).hasToString("1@127.0.0.1:9095,2@node-b.example:9095,3@[::1]:19095");
    }

    @Test
    void shouldTreatBlankAsNoVoters() {
        assertThat(QuorumVoters.parse(null).isEmpty()).isTrue();
        assertThat(QuorumVoters.parse("  ").isEmpty()).isTrue();
    }

    @Test
    void shouldNameTheBadEntryAndTheProblem() {
        assertRefused("1@a:1,,2@b:2", "entry '' is invalid: the entry is empty");
        assertRefused("1@a:1,b:2", "entry 'b:2' is invalid: expected id@host:port, there is no '@'");
        assertRefused("x@a:1", "entry 'x@a:1' is invalid: node id 'x' is not a number");
        assertRefused("-1@a:1", "node id -1 is negative");
        assertRefused("1@hostonly", "entry '1@hostonly' is invalid: address 'hostonly' has no ':port'");
        assertRefused("1@:9095", "the host is empty");
        assertRefused("1@a:http", "port 'http' is not a number");
        assertRefused("1@a:70000", "port 70000 is outside 1..65535");
        assertRefused("1@::1:9095", "IPv6 host '::1' must be written in brackets");
        assertRefused("1@a:1,1@b:2", "entry '1@b:2' is invalid: node id 1 is listed twice (also in '1@a:1')");
        assertRefused("1@a:1,2@a:1", "address a:1 is listed twice");
    }

    @Test
    void shouldRefuseANodeIdThatIsNotAVoter() {
        QuorumVoters voters = QuorumVoters.parse("1@a:1,2@b:2");
        assertThatThrownBy(() -> voters.require(3))
                .hasMessage("node.id 3 is not among the controller.quorum.voters 1@a:1,2@b:2");
    }

    private static void assertRefused(String value, String message) {
        assertThatThrownBy(() -> QuorumVoters.parse(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("controller.quorum.voters")
                .hasMessageContaining(message);
    }
}
