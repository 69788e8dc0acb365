package dev.tributary.broker.group;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Reads the topic list out of a consumer's JoinGroup metadata (Kafka's consumer protocol, protocol
 * type {@code consumer}), which OffsetDelete needs to refuse deleting offsets of topics the group still
 * reads. Every version of the subscription starts the same way:
 * <pre>
 *  version int16 | topic count int32 | topics: length int16, UTF-8 bytes | user data, owned partitions, ...
 * </pre>
 * Only that common prefix is read; the rest is the assignor's business.
 */
final class ConsumerSubscription {

    private ConsumerSubscription() {}

    /** @return the subscribed topics, or null when the bytes are not a readable subscription */
    static Set<String> topics(byte[] metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(metadata);
            short version = b.getShort();
            if (version < 0) {
                return null;
            }
            int count = b.getInt();
            if (count < 0 || count > b.remaining() / 2) {
                return null;
            }
            Set<String> topics = new HashSet<>();
            for (int i = 0; i < count; i++) {
                short len = b.getShort();
                if (len < 0) {
                    return null;
                }
                byte[] name = new byte[len];
                b.get(name);
                topics.add(new String(name, StandardCharsets.UTF_8));
            }
            return topics;
        } catch (BufferUnderflowException e) {
            return null;
        }
    }
}
