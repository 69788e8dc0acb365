package dev.tributary.broker.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.Errors;

/**
 * Answers Produce v0-v2, which kafka-clients 4.x can no longer parse or encode, with UNSUPPORTED_VERSION
 * for every partition. We advertise these versions only because librdkafka refuses to use compression
 * with a broker whose Produce range does not start at 0 (KAFKA-18659).
 *
 * <pre>
 * request v0-v2:  acks int16 | timeout int32 | [topic string | [partition int32 | records bytes]]
 * response v0:    [topic string | [partition int32 | error int16 | base_offset int64]]
 * response v1:    v0 + throttle_time_ms int32 at the end
 * response v2:    v1 with log_append_time int64 after base_offset
 * </pre>
 */
final class LegacyProduceRejection {
    private record Topic(String name, List<Integer> partitions) {}

    private LegacyProduceRejection() {}

    static void respond(RequestContext context, ByteBuffer frame, String why) {
        short version = context.apiVersion();
        List<Topic> topics;
        try {
            topics = parse(frame);
        } catch (RuntimeException e) {
            context.closeConnection(why + "; malformed body: " + e);
            return;
        }
        int size = 4 + 4; // size prefix, correlation id (header v0)
        size += 4;
        for (Topic t : topics) {
            size += 2 + t.name().getBytes(StandardCharsets.UTF_8).length + 4;
            size += t.partitions().size() * (4 + 2 + 8 + (version >= 2 ? 8 : 0));
        }
        if (version >= 1) {
            size += 4;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(size - 4).putInt(context.correlationId()).putInt(topics.size());
        for (Topic t : topics) {
            byte[] name = t.name().getBytes(StandardCharsets.UTF_8);
            out.putShort((short) name.length).put(name).putInt(t.partitions().size());
            for (int p : t.partitions()) {
                out.putInt(p).putShort(Errors.UNSUPPORTED_VERSION.code()).putLong(-1L);
                if (version >= 2) {
                    out.putLong(-1L);
                }
            }
        }
        if (version >= 1) {
            out.putInt(0);
        }
        context.respondRaw(out.flip());
    }

    private static List<Topic> parse(ByteBuffer frame) {
        ByteBuffer b = frame.duplicate().position(0);
        b.getShort(); // api key
        b.getShort(); // api version
        b.getInt(); // correlation id
        short clientIdLength = b.getShort();
        if (clientIdLength > 0) {
            b.position(b.position() + clientIdLength);
        }
        b.getShort(); // acks
        b.getInt(); // timeout
        int topicCount = b.getInt();
        List<Topic> topics = new ArrayList<>();
        for (int i = 0; i < topicCount; i++) {
            byte[] name = new byte[b.getShort()];
            b.get(name);
            int partitionCount = b.getInt();
            List<Integer> partitions = new ArrayList<>();
            for (int j = 0; j < partitionCount; j++) {
                partitions.add(b.getInt());
                int recordsSize = b.getInt();
                if (recordsSize > 0) {
                    b.position(b.position() + recordsSize);
                }
            }
            topics.add(new Topic(new String(name, StandardCharsets.UTF_8), partitions));
        }
        return topics;
    }
}
