package dev.tributary.log.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cross-checks our batches against kafka-clients 4.3.1, the reference implementation, for every codec in both
 * directions: Kafka-built batches decode with ours to equal records, and ours pass Kafka's CRC check and decode
 * with Kafka to equal records.
 */
class KafkaCrossCheckTest {

    /** One expected record. */
    record Expected(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {}

    /** Records with null keys and values, empty values, headers with null values, and values big enough to need
     *  several 64 KiB LZ4 blocks, with a seed printed for reproduction. */
    static List<Expected> sampleRecords(long seed) {
        Random rnd = new Random(seed);
        List<Expected> out = new ArrayList<>();
        long ts = 1_700_000_000_000L;
        for (int i = 0; i < 60; i++) {
            byte[] key = i % 7 == 3 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
            byte[] value;
            if (i % 11 == 5) {
                value = null;
            } else if (i % 13 == 0) {
                value = new byte[0];
            } else {
                int len = i == 10 ? 200_000 : rnd.nextInt(3000);
                value = new byte[len];
                // half random, half repetitive, so compressors have something to do and something to skip
                for (int j = 0; j < len; j++) {
                    value[j] = j % 2 == 0 ? (byte) rnd.nextInt() : (byte) (j % 17);
                }
            }
            List<Header> headers = new ArrayList<>();
            for (int h = 0; h < i % 3; h++) {
                headers.add(new Header("hk" + h, h == 1 ? null : ("hv" + i).getBytes(StandardCharsets.UTF_8)));
            }
            // timestamps not monotonic: deltas can be negative
            out.add(new Expected(i, ts + (i % 5 == 4 ? -i : i * 3L), key, value, headers));
        }
        return out;
    }

    private static Compression kafkaCompression(Codec codec) {
        return Compression.of(CompressionType.forId(codec.id())).build();
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void shouldDecodeBatchesBuiltByKafkaToEqualRecords(Codec codec) {
        long seed = System.nanoTime();
        System.out.println("seed " + seed + " codec " + codec);
        List<Expected> expected = sampleRecords(seed);
        ByteBuffer buf = ByteBuffer.allocate(1 << 22);
        MemoryRecordsBuilder kb = MemoryRecords.builder(
                buf, (byte) 2, kafkaCompression(codec), TimestampType.CREATE_TIME, 1000L, -1L, 4711L, (short) 3, 17);
        for (Expected e : expected) {
            org.apache.kafka.common.header.Header[] hs = e.headers().stream()
                    .map(h -> new RecordHeader(h.key(), h.value()))
                    .toArray(org.apache.kafka.common.header.Header[]::new);
            kb.appendWithOffset(1000L + e.offset(), e.timestamp(), e.key(), e.value(), hs);
        }
        MemoryRecords kafka = kb.build();
        ByteBuffer bytes = kafka.buffer();

        RecordBatch ours = RecordBatch.of(bytes);
        BatchValidator.ensureValid(ours, "kafka-built", 0);
        assertThat(ours.sizeInBytes()).isEqualTo(bytes.remaining());
        assertThat(ours.codec()).isEqualTo(codec);
        assertThat(ours.baseOffset()).isEqualTo(1000L);
        assertThat(ours.lastOffset()).isEqualTo(1000L + expected.size() - 1);
        assertThat(ours.recordCount()).isEqualTo(expected.size());
        assertThat(ours.producerId()).isEqualTo(4711L);
        assertThat(ours.producerEpoch()).isEqualTo((short) 3);
        assertThat(ours.baseSequence()).isEqualTo(17);
        MutableRecordBatch kBatch = kafka.batches().iterator().next();
        assertThat(ours.maxTimestamp()).isEqualTo(kBatch.maxTimestamp());
        assertThat(ours.crc()).isEqualTo(kBatch.checksum());
        assertThat(new BatchValidator()
                        .validateRecords(ours, "kafka-built", 0, new dev.tributary.log.internal.GrowableBuffer(16)))
                .isEqualTo(kBatch.maxTimestamp());

        List<Record> records = ours.records();
        assertThat(records).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            Expected e = expected.get(i);
            Record r = records.get(i);
            assertThat(r.offset()).isEqualTo(1000L + e.offset());
            assertThat(r.timestamp()).isEqualTo(e.timestamp());
            assertThat(r.keyBytes()).isEqualTo(e.key());
            assertThat(r.valueBytes()).isEqualTo(e.value());
            assertThat(r.headers()).isEqualTo(e.headers());
        }
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void shouldBuildBatchesKafkaAcceptsWithValidCrcAndEqualRecords(Codec codec) {
        long seed = System.nanoTime();
        System.out.println("seed " + seed + " codec " + codec);
        List<Expected> expected = sampleRecords(seed);
        RecordBatchBuilder builder = RecordBatchBuilder.create(codec)
                .baseOffset(500L)
                .producer(99L, (short) 2, 1234)
                .partitionLeaderEpoch(7);
        for (Expected e : expected) {
            builder.append(e.timestamp(), e.key(), e.value(), e.headers());
        }
        ByteBuffer ours = builder.build();

        MemoryRecords kafka = MemoryRecords.readableRecords(ours.duplicate());
        List<MutableRecordBatch> batches = new ArrayList<>();
        kafka.batches().forEach(batches::add);
        assertThat(batches).hasSize(1);
        MutableRecordBatch kb = batches.get(0);
        kb.ensureValid();
        assertThat(kb.isValid()).isTrue();
        assertThat(kb.magic()).isEqualTo((byte) 2);
        assertThat((int) kb.compressionType().id).isEqualTo(codec.id());
        assertThat(kb.baseOffset()).isEqualTo(500L);
        assertThat(kb.lastOffset()).isEqualTo(500L + expected.size() - 1);
        assertThat(kb.countOrNull()).isEqualTo(expected.size());
        assertThat(kb.producerId()).isEqualTo(99L);
        assertThat(kb.producerEpoch()).isEqualTo((short) 2);
        assertThat(kb.baseSequence()).isEqualTo(1234);
        assertThat(kb.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(kb.maxTimestamp())
                .isEqualTo(
                        expected.stream().mapToLong(Expected::timestamp).max().orElseThrow());
        assertThat(kb.timestampType()).isEqualTo(TimestampType.CREATE_TIME);

        int i = 0;
        for (org.apache.kafka.common.record.internal.Record r : kb) {
            r.ensureValid();
            Expected e = expected.get(i++);
            assertThat(r.offset()).isEqualTo(500L + e.offset());
            assertThat(r.timestamp()).isEqualTo(e.timestamp());
            assertThat(bytes(r.key())).isEqualTo(e.key());
            assertThat(bytes(r.value())).isEqualTo(e.value());
            List<Header> hs = Arrays.stream(r.headers())
                    .map(h -> new Header(h.key(), h.value()))
                    .toList();
            assertThat(hs).isEqualTo(e.headers());
        }
        assertThat(i).isEqualTo(expected.size());
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void shouldKeepCrcValidForKafkaWhenOnlyBaseOffsetIsRewritten(Codec codec) {
        ByteBuffer ours = RecordBatchBuilder.create(codec)
                .append(5L, "k".getBytes(), "v".getBytes())
                .build();
        RecordBatch.of(ours).setBaseOffset(123_456_789L).setPartitionLeaderEpoch(3);
        MutableRecordBatch kb =
                MemoryRecords.readableRecords(ours).batches().iterator().next();
        kb.ensureValid();
        assertThat(kb.baseOffset()).isEqualTo(123_456_789L);
    }

    @ParameterizedTest
    @EnumSource(Codec.class)
    void shouldProduceLogAppendTimeBatchesKafkaReadsAsLogAppendTime(Codec codec) {
        ByteBuffer ours = RecordBatchBuilder.create(codec)
                .append(5L, "k".getBytes(), "v".getBytes())
                .append(9L, null, "w".getBytes())
                .build();
        RecordBatch.of(ours).setLogAppendTime(777L);
        MutableRecordBatch kb =
                MemoryRecords.readableRecords(ours).batches().iterator().next();
        kb.ensureValid();
        assertThat(kb.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        for (org.apache.kafka.common.record.internal.Record r : kb) {
            assertThat(r.timestamp()).isEqualTo(777L);
        }
        for (Record r : RecordBatch.of(ours)) {
            assertThat(r.timestamp()).isEqualTo(777L);
        }
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
