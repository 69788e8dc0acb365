package dev.tributary.spark.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.spark.RecordSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class WriteLayoutTest {
    static final BytesEncoder B = BytesEncoder.BINARY_OR_STRING;

    @Test
    void shouldFindColumnsByNameAndIgnoreOthers() {
        StructType s = new StructType()
                .add("extra", DataTypes.LongType)
                .add("value", DataTypes.StringType)
                .add("key", DataTypes.BinaryType)
                .add("topic", DataTypes.StringType)
                .add("partition", DataTypes.IntegerType)
                .add("headers", RecordSchema.HEADERS_TYPE);
        WriteLayout l = WriteLayout.of(s, null, B, B);
        assertThat(l.value()).isEqualTo(1);
        assertThat(l.key()).isEqualTo(2);
        assertThat(l.topic()).isEqualTo(3);
        assertThat(l.partition()).isEqualTo(4);
        assertThat(l.headers()).isEqualTo(5);
    }

    @Test
    void shouldLetTheTopicOptionWinOverTheColumn() {
        StructType s = new StructType().add("value", DataTypes.BinaryType).add("topic", DataTypes.StringType);
        assertThat(WriteLayout.of(s, "t", B, B).topic()).isEqualTo(-1);
    }

    @Test
    void shouldRejectMissingOrMistypedColumnsNamingThem() {
        assertThatThrownBy(() -> WriteLayout.of(new StructType().add("vaule", DataTypes.BinaryType), "t", B, B))
                .hasMessageContaining("'value'")
                .hasMessageContaining("vaule");
        assertThatThrownBy(() -> WriteLayout.of(
                        new StructType().add("value", DataTypes.BinaryType).add("partition", DataTypes.LongType),
                        "t",
                        B,
                        B))
                .hasMessageContaining("'partition'")
                .hasMessageContaining("bigint");
        assertThatThrownBy(() -> WriteLayout.of(
                        new StructType().add("value", DataTypes.BinaryType).add("headers", DataTypes.StringType),
                        "t",
                        B,
                        B))
                .hasMessageContaining("'headers'");
        assertThatThrownBy(() -> WriteLayout.of(
                        new StructType().add("value", DataTypes.BinaryType).add("topic", DataTypes.IntegerType),
                        null,
                        B,
                        B))
                .hasMessageContaining("'topic'")
                .hasMessageContaining("int");
    }
}
