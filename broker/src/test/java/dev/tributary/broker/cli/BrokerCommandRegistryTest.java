package dev.tributary.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.broker.config.BrokerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BrokerCommandRegistryTest {

    private static BrokerConfig parse(String... args) throws Exception {
        BrokerCommand command = new BrokerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config();
    }

    @Test
    void shouldServeTheRegistryByDefault() throws Exception {
        BrokerConfig config = parse();
        assertThat(config.raw()).containsEntry("registry.enable", "true").doesNotContainKey("registry.listeners");
    }

    @Test
    void shouldListenWhereRegistryListenSays() throws Exception {
        assertThat(parse("--registry-listen", "127.0.0.1:18081").raw())
                .containsEntry("registry.enable", "true")
                .containsEntry("registry.listeners", "http://127.0.0.1:18081");
    }

    @Test
    void shouldTurnTheRegistryOffWithNone() throws Exception {
        assertThat(parse("--registry-listen", "none").raw()).containsEntry("registry.enable", "false");
    }
}
