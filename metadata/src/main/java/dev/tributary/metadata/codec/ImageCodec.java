package dev.tributary.metadata.codec;

import dev.tributary.metadata.image.BrokerRegistration;
import dev.tributary.metadata.image.MetadataImage;
import dev.tributary.metadata.image.PartitionState;
import dev.tributary.metadata.image.TopicImage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * The bytes of a whole {@link MetadataImage}: the body of a quorum snapshot file.
 *
 * <pre>
 *   +--------+-----+-----------------------------------------------+-------+
 *   | magic  | ver | body                                          | crc   |
 *   | int32  | int8|                                               | int32 |
 *   +--------+-----+-----------------------------------------------+-------+
 *
 *   body v1:
 *     int64 offset, int64 epoch, int64 nextProducerId, int64 nextSchemaId
 *     int32 brokerCount, then per broker:
 *       int32 id, uuid incarnationId, endpoints, bool fenced, int64 lastHeartbeatMs
 *     int32 topicCount, then per topic:
 *       string name, uuid topicId, string map configs, int32 partitionCount, then per partition:
 *         int list replicas, int list isr, int32 leader, int32 leaderEpoch, int32 partitionEpoch,
 *         int list addingReplicas, int list removingReplicas
 * </pre>
 *
 * <p>{@code magic} is {@value #MAGIC_HEX} ("TRMI"); {@code crc} is CRC-32C of every byte before it.
 * Field encodings are {@link WireWriter}'s. A reader refuses an unknown version and keeps a branch for every
 * older one: a node restarted after an upgrade loads the snapshot the old build wrote.
 */
public final class ImageCodec {

    public static final int VERSION = 1;
    static final int MAGIC = 0x54524D49;
    static final String MAGIC_HEX = "0x54524D49";
    private static final int HEADER_BYTES = 5;
    private static final int CRC_BYTES = 4;

    private ImageCodec() {}

    public static byte[] encode(MetadataImage image) {
        WireWriter w = new WireWriter().int32(MAGIC).int8(VERSION);
        w.int64(image.offset())
                .int64(image.epoch())
                .int64(image.nextProducerId())
                .int64(image.nextSchemaId());
        w.int32(image.brokers().size());
        for (BrokerRegistration b : image.brokers().values()) {
            w.int32(b.id()).uuid(b.incarnationId());
            CommandCodec.writeEndpoints(w, b.endpoints());
            w.bool(b.fenced()).int64(b.lastHeartbeatMs());
        }
        w.int32(image.topics().size());
        for (TopicImage t : image.topics().values()) {
            w.string(t.name()).uuid(t.topicId()).stringMap(t.configs()).int32(t.partitionCount());
            t.partitions().forEach(p -> writePartition(w, p));
        }
        byte[] body = w.toByteArray();
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] out = Arrays.copyOf(body, body.length + CRC_BYTES);
        ByteBuffer.wrap(out, body.length, CRC_BYTES).putInt((int) crc.getValue());
        return out;
    }

    /** @param source names the bytes' origin (a file path) in error messages */
    public static MetadataImage decode(byte[] bytes, String source) {
        String what = "metadata image " + source;
        if (bytes.length < HEADER_BYTES + CRC_BYTES) {
            throw new MetadataFormatException(what + ": " + bytes.length + " bytes are too few for an image");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int magic = buf.getInt(0);
        if (magic != MAGIC) {
            throw new MetadataFormatException(
                    what + ": magic 0x" + Integer.toHexString(magic) + " is not " + MAGIC_HEX);
        }
        int version = buf.get(4);
        int crcAt = bytes.length - CRC_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, crcAt);
        int stored = buf.getInt(crcAt);
        if (stored != (int) crc.getValue()) {
            throw new MetadataFormatException(what + ": CRC-32C 0x" + Integer.toHexString((int) crc.getValue())
                    + " of bytes 0.." + crcAt + " does not match the stored 0x" + Integer.toHexString(stored));
        }
        WireReader r = new WireReader(
                what, ByteBuffer.wrap(bytes, HEADER_BYTES, crcAt - HEADER_BYTES).slice());
        MetadataImage image = switch (version) {
            case 1 -> decodeV1(r);
            default ->
                throw new MetadataFormatException(what + ": format version " + version
                        + " is unknown; this build reads version " + VERSION + " and older");
        };
        r.expectEnd();
        return image;
    }

    private static MetadataImage decodeV1(WireReader r) {
        long offset = r.int64();
        long epoch = r.int64();
        long nextProducerId = r.int64();
        long nextSchemaId = r.int64();
        TreeMap<Integer, BrokerRegistration> brokers = new TreeMap<>();
        int brokerCount = r.count("broker count", 29);
        for (int i = 0; i < brokerCount; i++) {
            int id = r.int32();
            UUID incarnation = r.uuid();
            BrokerRegistration b = valid(
                    r,
                    () -> new BrokerRegistration(id, incarnation, CommandCodec.readEndpoints(r), r.bool(), r.int64()));
            brokers.put(b.id(), b);
        }
        TreeMap<String, TopicImage> topics = new TreeMap<>();
        int topicCount = r.count("topic count", 28);
        for (int i = 0; i < topicCount; i++) {
            String name = r.string();
            UUID topicId = r.uuid();
            var configs = r.stringMap();
            int partitionCount = r.count("partition count of topic " + name, 28);
            List<PartitionState> partitions = new ArrayList<>(partitionCount);
            for (int p = 0; p < partitionCount; p++) {
                partitions.add(readPartition(r));
            }
            topics.put(name, new TopicImage(name, topicId, configs, partitions));
        }
        return new MetadataImage(offset, epoch, brokers, topics, nextProducerId, nextSchemaId);
    }

    static void writePartition(WireWriter w, PartitionState p) {
        w.intList(p.replicas())
                .intList(p.isr())
                .int32(p.leader())
                .int32(p.leaderEpoch())
                .int32(p.partitionEpoch())
                .intList(p.addingReplicas())
                .intList(p.removingReplicas());
    }

    static PartitionState readPartition(WireReader r) {
        return valid(
                r,
                () -> new PartitionState(
                        r.intList(), r.intList(), r.int32(), r.int32(), r.int32(), r.intList(), r.intList()));
    }

    private interface Builder<T> {
        T build();
    }

    /** Turns a value the model refuses (for example a leader outside its ISR) into a format error. */
    private static <T> T valid(WireReader r, Builder<T> builder) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw r.corrupt(e.getMessage());
        }
    }
}
