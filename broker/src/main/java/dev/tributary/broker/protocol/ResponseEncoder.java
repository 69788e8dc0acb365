package dev.tributary.broker.protocol;

import dev.tributary.broker.network.ResponseSend;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.BaseRecords;

/**
 * Encodes a response frame: size prefix, response header and body into one heap buffer, except that
 * every {@link RegionRecords} field becomes a zero-copy part, so record bytes go from the segment file
 * to the socket and never through the heap.
 */
final class ResponseEncoder {
    private ResponseEncoder() {}

    static ResponseSend encode(int correlationId, short headerVersion, ApiMessage body, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(4 + size.sizeExcludingZeroCopy());
        buffer.putInt(size.totalSize());
        SplittingWriter writer = new SplittingWriter(buffer);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        return writer.finish();
    }

    /** Writes into the buffer, cutting it wherever a zero-copy region belongs. */
    private static final class SplittingWriter extends ByteBufferAccessor {
        private final ByteBuffer buffer;
        private final List<Object> parts = new ArrayList<>();
        private int cut;

        SplittingWriter(ByteBuffer buffer) {
            super(buffer);
            this.buffer = buffer;
        }

        @Override
        public void writeRecords(BaseRecords records) {
            if (records instanceof RegionRecords region) {
                cutHere();
                parts.add(region.region());
            } else {
                super.writeRecords(records);
            }
        }

        private void cutHere() {
            int end = buffer.position();
            if (end > cut) {
                parts.add(buffer.slice(cut, end - cut));
            }
            cut = end;
        }

        ResponseSend finish() {
            if (buffer.hasRemaining()) {
                throw new IllegalStateException("response encoded to " + buffer.position()
                        + " bytes but its size was computed as " + buffer.capacity());
            }
            cutHere();
            return new ResponseSend(parts);
        }
    }
}
