package dev.tributary.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spark.offsets.OffsetSpec;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TributaryOptionsTest {
    @Test
    void shouldPassClientSettingsThroughEitherPrefix() {
        TributaryOptions o = new TributaryOptions(
                Map.of("tributary.bootstrap.servers", "a:1", "kafka.fetch.min.bytes", "7", "subscribe", "t"));
        assertThat(o.bootstrapServers()).isEqualTo("a:1");
        assertThat(o.clientParams()).containsEntry("fetch.min.bytes", "7");
        assertThat(new TributaryOptions(Map.of("kafka.bootstrap.servers", "b:2")).bootstrapServers())
                .isEqualTo("b:2");
    }

    @Test
    void shouldRequireBootstrapServersAndExactlyOneSubscription() {
        assertThatThrownBy(() -> new TributaryOptions(Map.of()).bootstrapServers())
                .hasMessageContaining("tributary.bootstrap.servers");
        assertThatThrownBy(() -> new TributaryOptions(Map.of("subscribe", "a", "subscribePattern", "b")).subscription())
                .hasMessageContaining("exactly one")
                .hasMessageContaining("subscribePattern");
        assertThat(new TributaryOptions(Map.of("assign", "{\"t\":[1,0]}")).subscription())
                .isEqualTo(new Subscription.Assign(List.of(new TopicPartition("t", 0), new TopicPartition("t", 1))));
        assertThat(new TributaryOptions(Map.of("SUBSCRIBE", " a , b ")).subscription())
                .isEqualTo(new Subscription.Topics(List.of("a", "b")));
    }

    @Test
    void shouldGivePerPartitionTimestampsPrecedenceOverTimestampsOverOffsets() {
        TributaryOptions all = new TributaryOptions(Map.of(
                "startingOffsets",
                "latest",
                "startingTimestamp",
                "5",
                "startingOffsetsByTimestamp",
                "{\"t\":{\"0\":9}}"));
        assertThat(all.startingSpec(null)).isInstanceOf(OffsetSpec.PartitionTimestamps.class);
        TributaryOptions two = new TributaryOptions(Map.of("startingOffsets", "latest", "startingTimestamp", "5"));
        assertThat(two.startingSpec(null)).isEqualTo(new OffsetSpec.GlobalTimestamp(5));
        assertThat(new TributaryOptions(Map.of()).endingSpec(new OffsetSpec.Latest()))
                .isEqualTo(new OffsetSpec.Latest());
    }

    @Test
    void shouldNameTheOptionAndValueOfBadInput() {
        assertThatThrownBy(() -> new TributaryOptions(Map.of("maxOffsetsPerTrigger", "ten")).maxOffsetsPerTrigger())
                .hasMessageContaining("TRIBUTARY_INVALID_OPTION")
                .hasMessageContaining("maxOffsetsPerTrigger")
                .hasMessageContaining("ten");
        assertThatThrownBy(() -> new TributaryOptions(Map.of("minPartitions", "0")).minPartitions())
                .hasMessageContaining(">= 1");
        assertThatThrownBy(() -> new TributaryOptions(Map.of("failOnDataLoss", "yes")).failOnDataLoss())
                .hasMessageContaining("true or false");
        assertThatThrownBy(
                        () -> new TributaryOptions(Map.of("endingOffsets", "{\"t\":{\"0\":\"x\"}}")).endingSpec(null))
                .hasMessageContaining("endingOffsets");
        assertThat(new TributaryOptions(Map.of("maxTriggerDelay", "30s")).maxTriggerDelayMs())
                .isEqualTo(30_000);
    }
}
