package dev.tributary.flink.source.split;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Checkpoint format of a {@link TributarySplit}.
 *
 * <pre>
 * version 1:  UTF topic | int partition | int rangeIndex | long startingOffset | long stoppingOffset
 *             | long stoppingTimestamp
 * </pre>
 *
 * Version 1 is the first released format. A later format bumps {@link #CURRENT_VERSION} and keeps a
 * {@code case} here for every older version, with a test that reads bytes written by it.
 */
public final class TributarySplitSerializer implements SimpleVersionedSerializer<TributarySplit> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(TributarySplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    /** Writes one split in the current format; the enumerator-state serializer embeds splits with it. */
    public static void write(TributarySplit split, DataOutputStream out) throws IOException {
        out.writeUTF(split.topic());
        out.writeInt(split.partition());
        out.writeInt(split.rangeIndex());
        out.writeLong(split.startingOffset());
        out.writeLong(split.stoppingOffset());
        out.writeLong(split.stoppingTimestamp());
    }

    @Override
    public TributarySplit deserialize(int version, byte[] serialized) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(version, in);
        }
    }

    /** Reads one split written at {@code version}. */
    public static TributarySplit read(int version, DataInputStream in) throws IOException {
        switch (version) {
            case VERSION_1: {
                String topic = in.readUTF();
                int partition = in.readInt();
                int rangeIndex = in.readInt();
                long start = in.readLong();
                long stop = in.readLong();
                long stopTs = in.readLong();
                return new TributarySplit(topic, partition, rangeIndex, start, stop, stopTs);
            }
            default:
                throw new IOException("unknown TributarySplit serializer version " + version + " (this build reads 1.."
                        + CURRENT_VERSION + ")");
        }
    }
}
