package dev.tributary.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.TestBroker;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A broker without tiered storage refuses the tiered-storage topic configs with INVALID_CONFIG and says
 * why, in CreateTopics and IncrementalAlterConfigs, as seen by the official Admin client.
 */
class TieredStorageConfigsTest {
    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() {
        broker = new TestBroker();
        admin = Admin.create(broker.clientProps());
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @ParameterizedTest
    @CsvSource({
        "remote.storage.enable,true",
        "local.retention.ms,3600000",
        "local.retention.bytes,1000000",
        "remote.log.copy.disable,true",
        "remote.log.delete.on.disable,true"
    })
    void shouldRefuseCreatingATopicWithATieredStorageConfig(String key, String value) throws Exception {
        String topic = "tiered-" + key.replace('.', '-');
        NewTopic t = new NewTopic(topic, 1, (short) 1).configs(Map.of(key, value));

        assertThatThrownBy(() -> admin.createTopics(List.of(t), new CreateTopicsOptions().validateOnly(true))
                        .all()
                        .get())
                .hasCauseInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> admin.createTopics(List.of(t)).all().get())
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .cause()
                .hasMessageContaining(key)
                .hasMessageContaining("tiered storage is not available");
        assertThat(admin.listTopics().names().get()).doesNotContain(topic);
    }

    @ParameterizedTest
    @CsvSource({"remote.storage.enable,true", "local.retention.bytes,1000000", "remote.log.copy.disable,true"})
    void shouldRefuseSettingATieredStorageConfigOnATopic(String key, String value) throws Exception {
        String topic = "plain-" + key.replace('.', '-');
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, topic);

        assertThatThrownBy(() -> admin.incrementalAlterConfigs(Map.of(
                                res, List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
                        .all()
                        .get())
                .hasCauseInstanceOf(InvalidConfigurationException.class)
                .cause()
                .hasMessageContaining(key)
                .hasMessageContaining("tiered storage is not available");
        assertThat(admin.describeConfigs(List.of(res)).all().get().get(res).get(key))
                .isNull();
    }
}
