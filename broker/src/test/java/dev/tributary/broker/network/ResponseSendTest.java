package dev.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseSendTest {

    /** A socket stand-in that accepts at most {@code perWrite} bytes per call, like a full send buffer. */
    private static final class SlowChannel implements GatheringByteChannel {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final int perWrite;

        SlowChannel(int perWrite) {
            this.perWrite = perWrite;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(perWrite, src.remaining());
            for (int i = 0; i < n; i++) {
                out.write(src.get());
            }
            return n;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long total = 0;
            for (int i = offset; i < offset + length && total < perWrite; i++) {
                ByteBuffer b = srcs[i];
                int n = (int) Math.min(perWrite - total, b.remaining());
                for (int j = 0; j < n; j++) {
                    out.write(b.get());
                }
                total += n;
            }
            return total;
        }

        @Override
        public long write(ByteBuffer[] srcs) {
            return write(srcs, 0, srcs.length);
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    /** A region backed by bytes, moved through the same partial-write target. */
    private record BytesRegion(byte[] bytes) implements ZeroCopyRegion {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public long transferTo(WritableByteChannel target, long offset, long count) throws java.io.IOException {
            return target.write(ByteBuffer.wrap(bytes, (int) offset, (int) count));
        }
    }

    @Test
    void shouldWriteBuffersAndRegionsInOrderAcrossPartialWrites() throws Exception {
        ResponseSend send = new ResponseSend(List.of(
                ByteBuffer.wrap("head|".getBytes()),
                ByteBuffer.wrap("meta|".getBytes()),
                new BytesRegion("records-one|".getBytes()),
                ByteBuffer.wrap("meta2|".getBytes()),
                new BytesRegion("records-two".getBytes())));
        SlowChannel ch = new SlowChannel(3);
        int calls = 0;
        while (!send.writeTo(ch)) {
            calls++;
        }
        assertThat(ch.out.toString()).isEqualTo("head|meta|records-one|meta2|records-two");
        assertThat(send.written()).isEqualTo(send.size()).isEqualTo(39);
        assertThat(calls).isGreaterThan(5);
        assertThat(send.completed()).isTrue();
    }
}
