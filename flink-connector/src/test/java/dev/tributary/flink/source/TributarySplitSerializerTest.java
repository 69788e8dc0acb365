package dev.tributary.flink.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.flink.source.enumerator.TributaryEnumeratorState;
import dev.tributary.flink.source.enumerator.TributaryEnumeratorStateSerializer;
import dev.tributary.flink.source.split.TributarySplit;
import dev.tributary.flink.source.split.TributarySplitSerializer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TributarySplitSerializerTest {

    private final TributarySplitSerializer splits = new TributarySplitSerializer();
    private final TributaryEnumeratorStateSerializer states = new TributaryEnumeratorStateSerializer();

    @Test
    void shouldRoundTripEverySplitField() throws IOException {
        TributarySplit unbounded = new TributarySplit(
                "orders", 3, 0, 42, TributarySplit.NO_STOPPING_OFFSET, TributarySplit.NO_STOPPING_TIMESTAMP);
        TributarySplit piece = new TributarySplit("orders", 3, 7, 1_000, 2_000, 1_700_000_000_000L);
        for (TributarySplit s : List.of(unbounded, piece)) {
            assertThat(splits.deserialize(splits.getVersion(), splits.serialize(s)))
                    .isEqualTo(s);
        }
        assertThat(piece.splitId()).isEqualTo("orders-3#7");
        assertThat(unbounded.splitId()).isEqualTo("orders-3");
    }

    /** Bytes of a version-1 split written field by field as the format javadoc states, not by the serializer. */
    @Test
    void shouldReadVersionOneBytesWrittenByHand() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("clicks");
            out.writeInt(1);
            out.writeInt(2);
            out.writeLong(10);
            out.writeLong(20);
            out.writeLong(30);
        }
        TributarySplit s = splits.deserialize(TributarySplitSerializer.VERSION_1, bytes.toByteArray());
        assertThat(s).isEqualTo(new TributarySplit("clicks", 1, 2, 10, 20, 30));
    }

    @Test
    void shouldRejectUnknownSplitVersionNamingIt() {
        assertThatThrownBy(() -> splits.deserialize(99, new byte[8]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 99");
    }

    @Test
    void shouldRoundTripEnumeratorState() throws IOException {
        TributaryEnumeratorState state = new TributaryEnumeratorState(
                Set.of(new TopicPartition("a", 0), new TopicPartition("b", 5)),
                List.of(new TributarySplit("b", 5, 0, 0, 100, TributarySplit.NO_STOPPING_TIMESTAMP)),
                true);
        TributaryEnumeratorState back = states.deserialize(states.getVersion(), states.serialize(state));
        assertThat(back).isEqualTo(state);
    }

    @Test
    void shouldReadVersionOneEnumeratorStateWrittenByHand() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(TributarySplitSerializer.VERSION_1);
            out.writeInt(1);
            out.writeUTF("t");
            out.writeInt(0);
            out.writeInt(0);
            out.writeBoolean(false);
        }
        TributaryEnumeratorState s =
                states.deserialize(TributaryEnumeratorStateSerializer.VERSION_1, bytes.toByteArray());
        assertThat(s.knownPartitions()).containsExactly(new TopicPartition("t", 0));
        assertThat(s.pendingSplits()).isEmpty();
        assertThat(s.initialDiscoveryDone()).isFalse();
    }

    @Test
    void shouldRejectUnresolvedStartingOffset() {
        assertThatThrownBy(() -> new TributarySplit("t", 0, 0, -2, 5, TributarySplit.NO_STOPPING_TIMESTAMP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("t-0")
                .hasMessageContaining("-2");
    }
}
