package dev.tributary.broker.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.errors.InvalidConfigException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class SchemaRegistryPluginTest {

    @Test
    void shouldParseListenersWithOrWithoutScheme() {
        assertThat(SchemaRegistryPlugin.parseListener("http://127.0.0.1:8081"))
                .isEqualTo(new InetSocketAddress("127.0.0.1", 8081));
        assertThat(SchemaRegistryPlugin.parseListener(" 127.0.0.1:0 "))
                .isEqualTo(new InetSocketAddress("127.0.0.1", 0));
    }

    @Test
    void shouldNameKeyAndValueOfABadListener() {
        assertThatThrownBy(() -> SchemaRegistryPlugin.parseListener("http://127.0.0.1"))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("registry.listeners")
                .hasMessageContaining("http://127.0.0.1");
        assertThatThrownBy(() -> SchemaRegistryPlugin.parseListener("not a url"))
                .isInstanceOf(InvalidConfigException.class);
    }
}
