package dev.tributary.flink.source.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.Test;

class ConsumerConfigTest {

    @Test
    void shouldApplyTheSourceDefaultsWhenTheUserSetsNothing() {
        Properties p = TributarySplitReader.consumerConfig(props("bootstrap.servers", "h:1"));

        assertThat(p)
                .containsEntry("receive.buffer.bytes", "-1")
                .containsEntry("max.partition.fetch.bytes", "4194304")
                .containsEntry("max.poll.records", "1000")
                .containsEntry("bootstrap.servers", "h:1");
        // every default must be a setting the client knows, or it would only log a warning
        assertThat(ConsumerConfig.configNames()).containsAll(TributarySplitReader.CONSUMER_DEFAULTS.keySet());
    }

    @Test
    void shouldLetTheUserOverrideEachDefault() {
        Properties p = TributarySplitReader.consumerConfig(props(
                "receive.buffer.bytes", "65536", "max.partition.fetch.bytes", "1048576", "max.poll.records", "500"));

        assertThat(p)
                .containsEntry("receive.buffer.bytes", "65536")
                .containsEntry("max.partition.fetch.bytes", "1048576")
                .containsEntry("max.poll.records", "500");
    }

    @Test
    void shouldKeepWhatTheReaderReliesOnWhateverTheUserSets() {
        Properties p = TributarySplitReader.consumerConfig(props(
                "auto.offset.reset",
                "earliest",
                "enable.auto.commit",
                "true",
                "group.id",
                "g",
                "value.deserializer",
                "org.apache.kafka.common.serialization.StringDeserializer"));

        assertThat(p)
                .containsEntry("auto.offset.reset", "none")
                .containsEntry("enable.auto.commit", "false")
                .containsEntry("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer")
                .doesNotContainKey("group.id");
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }
}
