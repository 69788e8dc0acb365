package dev.tributary.flink.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;
import org.junit.jupiter.api.Test;

/** Table options to source settings, without a broker. */
class TableOptionsResolverTest {

    private static final DataType ROW = DataTypes.ROW(
            DataTypes.FIELD("k_id", DataTypes.INT()),
            DataTypes.FIELD("name", DataTypes.STRING()),
            DataTypes.FIELD("n", DataTypes.BIGINT()));

    @Test
    void shouldParseKafkaStyleSpecificOffsets() {
        assertThat(TableOptionsResolver.parseSpecificOffsets("partition:0,offset:42;partition:1,offset:300", "x"))
                .isEqualTo(Map.of(0, 42L, 1, 300L));
    }

    @Test
    void shouldRejectMalformedSpecificOffsetsNamingTheEntry() {
        assertThatThrownBy(() -> TableOptionsResolver.parseSpecificOffsets(
                        "partition:0;offset:1", "scan.startup.specific-offsets"))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("scan.startup.specific-offsets")
                .hasMessageContaining("partition:0");
        assertThatThrownBy(() -> TableOptionsResolver.parseSpecificOffsets("partition:0,offset:-5", "o"))
                .hasMessageContaining("non-negative");
    }

    @Test
    void shouldMapStartupAndBoundedModes() {
        Configuration c = new Configuration();
        c.setString("scan.startup.mode", "timestamp");
        c.setString("scan.startup.timestamp-millis", "1234");
        c.setString("scan.bounded.mode", "specific-offsets");
        c.setString("scan.bounded.specific-offsets", "partition:0,offset:9");
        OffsetsInitializer start = TableOptionsResolver.startingOffsets(c, List.of("t"), new Properties());
        OffsetsInitializer stop = TableOptionsResolver.stoppingOffsets(c, List.of("t"), new Properties());
        assertThat(start.timestamp()).hasValue(1234L);
        assertThat(stop.toString()).contains("t-0=9");
        c.setString("scan.bounded.mode", "unbounded");
        assertThat(TableOptionsResolver.stoppingOffsets(c, List.of("t"), new Properties()))
                .isNull();
    }

    @Test
    void shouldRequireGroupIdForGroupOffsetsAndTimestampForTimestampMode() {
        Configuration c = new Configuration();
        c.setString("scan.startup.mode", "group-offsets");
        assertThatThrownBy(() -> TableOptionsResolver.startingOffsets(c, List.of("t"), new Properties()))
                .hasMessageContaining("properties.group.id");
        c.setString("scan.startup.mode", "timestamp");
        assertThatThrownBy(() -> TableOptionsResolver.startingOffsets(c, List.of("t"), new Properties()))
                .hasMessageContaining("scan.startup.timestamp-millis");
    }

    @Test
    void shouldProjectKeyAndValueColumns() {
        int[] key = TableOptionsResolver.keyProjection(ROW, List.of("k_id"), "json");
        assertThat(key).containsExactly(0);
        assertThat(TableOptionsResolver.valueProjection(
                        ROW, key, TributaryConnectorOptions.ValueFieldsStrategy.EXCEPT_KEY))
                .containsExactly(1, 2);
        assertThat(TableOptionsResolver.valueProjection(ROW, key, TributaryConnectorOptions.ValueFieldsStrategy.ALL))
                .containsExactly(0, 1, 2);
        assertThat(TableOptionsResolver.formatType(ROW, key, "k_").toString()).contains("`id` INT");
        assertThatThrownBy(() -> TableOptionsResolver.keyProjection(ROW, List.of("nope"), "json"))
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> TableOptionsResolver.keyProjection(ROW, List.of("k_id"), null))
                .hasMessageContaining("key.format");
    }

    @Test
    void shouldPassThroughClientProperties() {
        Properties p = TableOptionsResolver.clientProperties(
                Map.of("properties.bootstrap.servers", "h:1", "properties.max.poll.records", "7", "topic", "t"));
        assertThat(p).containsOnly(Map.entry("bootstrap.servers", "h:1"), Map.entry("max.poll.records", "7"));
    }
}
