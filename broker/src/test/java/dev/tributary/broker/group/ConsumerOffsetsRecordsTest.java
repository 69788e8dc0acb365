package dev.tributary.broker.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.broker.partition.PartitionId;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumerOffsetsRecordsTest {

    @Test
    void shouldReadVersion1OffsetRecordFromPinnedBytes() throws Exception {
        // key: type 1, "g", "t", partition 3; value v1: offset 42, epoch 7, timestamp 1000, metadata "m"
        byte[] key = HexFormat.of().parseHex("0001" + "000167" + "000174" + "00000003");
        byte[] value =
                HexFormat.of().parseHex("0001" + "000000000000002a" + "00000007" + "00000000000003e8" + "00016d");

        assertThat(ConsumerOffsetsRecords.offsetKey("g", new PartitionId("t", 3)))
                .isEqualTo(key);
        assertThat(ConsumerOffsetsRecords.offsetValue(new CommittedOffset(42, 7, "m", 1000)))
                .isEqualTo(value);
        assertThat(ConsumerOffsetsRecords.readKey(ByteBuffer.wrap(key), 0))
                .isEqualTo(new ConsumerOffsetsRecords.OffsetKey("g", new PartitionId("t", 3)));
        assertThat(ConsumerOffsetsRecords.readOffsetValue(ByteBuffer.wrap(value), 0))
                .isEqualTo(new CommittedOffset(42, 7, "m", 1000));
    }

    @Test
    void shouldRoundTripGroupRecordWithMembers() throws Exception {
        GroupMetadataRecord g = new GroupMetadataRecord(
                "grp",
                "consumer",
                5,
                "range",
                "m-1",
                99L,
                List.of(
                        new GroupMetadataRecord.Member(
                                "m-1", null, "c1", "/127.0.0.1", 30000, 10000, new byte[] {1}, new byte[] {2, 3}),
                        new GroupMetadataRecord.Member(
                                "m-2", "static-2", "c2", "/127.0.0.1", 30000, 10000, new byte[0], new byte[0])));

        byte[] key = ConsumerOffsetsRecords.groupKey("grp");
        GroupMetadataRecord read =
                ConsumerOffsetsRecords.readGroupValue("grp", ByteBuffer.wrap(ConsumerOffsetsRecords.groupValue(g)), 0);

        assertThat(ConsumerOffsetsRecords.readKey(ByteBuffer.wrap(key), 0))
                .isEqualTo(new ConsumerOffsetsRecords.GroupKey("grp"));
        assertThat(read.generationId()).isEqualTo(5);
        assertThat(read.protocolName()).isEqualTo("range");
        assertThat(read.leaderId()).isEqualTo("m-1");
        assertThat(read.members()).hasSize(2);
        assertThat(read.members().get(0).assignment()).containsExactly(2, 3);
        assertThat(read.members().get(1).groupInstanceId()).isEqualTo("static-2");
    }

    @Test
    void shouldRoundTripEmptyGroupWithoutProtocol() throws Exception {
        GroupMetadataRecord g = new GroupMetadataRecord("grp", "", 2, null, null, 1L, List.of());

        GroupMetadataRecord read =
                ConsumerOffsetsRecords.readGroupValue("grp", ByteBuffer.wrap(ConsumerOffsetsRecords.groupValue(g)), 0);

        assertThat(read.protocolName()).isNull();
        assertThat(read.leaderId()).isNull();
        assertThat(read.members()).isEmpty();
    }

    @Test
    void shouldRejectUnknownKeyTypeAndNewerValueVersionNamingOffset() {
        assertThatThrownBy(() -> ConsumerOffsetsRecords.readKey(ByteBuffer.wrap(new byte[] {0, 9, 0, 0}), 17))
                .isInstanceOf(CorruptGroupRecordException.class)
                .hasMessageContaining("offset 17")
                .hasMessageContaining("key type 9");
        byte[] v2 = ConsumerOffsetsRecords.offsetValue(new CommittedOffset(1, -1, "", 0));
        v2[1] = 2;
        assertThatThrownBy(() -> ConsumerOffsetsRecords.readOffsetValue(ByteBuffer.wrap(v2), 18))
                .hasMessageContaining("offset 18")
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> ConsumerOffsetsRecords.readOffsetValue(ByteBuffer.wrap(new byte[] {0, 1, 0}), 19))
                .hasMessageContaining("truncated");
    }
}
