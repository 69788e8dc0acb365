package dev.tributary.flink.source.enumerator;

import dev.tributary.flink.source.split.TributarySplit;
import dev.tributary.flink.source.split.TributarySplitSerializer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.kafka.common.TopicPartition;

/**
 * Checkpoint format of {@link TributaryEnumeratorState}.
 *
 * <pre>
 * version 1:  int splitVersion
 *             | int n | n x (UTF topic | int partition)          known partitions
 *             | int m | m x split (in splitVersion's format)    pending splits
 *             | boolean initialDiscoveryDone
 * </pre>
 *
 * The embedded split version lets the split format evolve without a new enumerator-state version.
 */
public final class TributaryEnumeratorStateSerializer implements SimpleVersionedSerializer<TributaryEnumeratorState> {

    public static final int VERSION_1 = 1;
    public static final int CURRENT_VERSION = VERSION_1;

    @Override
    public int getVersion() {
        return CURRENT_VERSION;
    }

    @Override
    public byte[] serialize(TributaryEnumeratorState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(TributarySplitSerializer.CURRENT_VERSION);
            out.writeInt(state.knownPartitions().size());
            for (TopicPartition tp : state.knownPartitions()) {
                out.writeUTF(tp.topic());
                out.writeInt(tp.partition());
            }
            out.writeInt(state.pendingSplits().size());
            for (TributarySplit s : state.pendingSplits()) {
                TributarySplitSerializer.write(s, out);
            }
            out.writeBoolean(state.initialDiscoveryDone());
        }
        return bytes.toByteArray();
    }

    @Override
    public TributaryEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION_1) {
            throw new IOException("unknown TributaryEnumeratorState serializer version " + version
                    + " (this build reads 1.." + CURRENT_VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            int splitVersion = in.readInt();
            int n = in.readInt();
            Set<TopicPartition> known = new HashSet<>();
            for (int i = 0; i < n; i++) {
                known.add(new TopicPartition(in.readUTF(), in.readInt()));
            }
            int m = in.readInt();
            List<TributarySplit> pending = new ArrayList<>(m);
            for (int i = 0; i < m; i++) {
                pending.add(TributarySplitSerializer.read(splitVersion, in));
            }
            boolean initialDone = in.readBoolean();
            return new TributaryEnumeratorState(known, pending, initialDone);
        }
    }
}
