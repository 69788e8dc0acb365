package dev.tributary.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    /** A channel that hands out the given chunks, one per read, then returns 0 (no more data yet) or -1. */
    private static final class ChunkChannel implements ReadableByteChannel {
        private final Deque<ByteBuffer> chunks = new ArrayDeque<>();
        private boolean eof;

        ChunkChannel add(byte[] bytes) {
            chunks.add(ByteBuffer.wrap(bytes));
            return this;
        }

        @Override
        public int read(ByteBuffer dst) {
            ByteBuffer c = chunks.peek();
            if (c == null) {
                return eof ? -1 : 0;
            }
            int n = Math.min(dst.remaining(), c.remaining());
            ByteBuffer slice = c.slice(c.position(), n);
            dst.put(slice);
            c.position(c.position() + n);
            if (!c.hasRemaining()) {
                chunks.poll();
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    private static byte[] frame(byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length)
                .putInt(payload.length)
                .put(payload)
                .array();
    }

    @Test
    void shouldAssembleAFrameSplitAcrossArbitraryReads() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        byte[] payload = new byte[1000];
        random.nextBytes(payload);
        byte[] bytes = frame(payload);
        ChunkChannel ch = new ChunkChannel();
        int pos = 0;
        while (pos < bytes.length) {
            int n = Math.min(bytes.length - pos, 1 + random.nextInt(50));
            byte[] chunk = new byte[n];
            System.arraycopy(bytes, pos, chunk, 0, n);
            ch.add(chunk);
            pos += n;
        }
        FrameDecoder d = new FrameDecoder(1 << 20);
        ByteBuffer got = null;
        for (int i = 0; i < 10_000 && got == null; i++) {
            got = d.readFrom(ch);
        }
        assertThat(got).as("seed %d", seed).isNotNull();
        byte[] out = new byte[got.remaining()];
        got.get(out);
        assertThat(out).as("seed %d", seed).isEqualTo(payload);
    }

    @Test
    void shouldRejectASizeOverTheLimitBeforeReadingThePayload() {
        FrameDecoder d = new FrameDecoder(1024);
        ChunkChannel ch = new ChunkChannel().add(new byte[] {0, 0, 4, 1});
        assertThatThrownBy(() -> d.readFrom(ch))
                .isInstanceOf(FrameException.class)
                .hasMessageContaining("1025")
                .hasMessageContaining("socket.request.max.bytes=1024");
    }

    @Test
    void shouldRejectSizesTooSmallForAHeader() {
        assertThat(FrameDecoder.rejectSize(7, 100)).contains("invalid request size 7");
        assertThat(FrameDecoder.rejectSize(-1, 100)).contains("invalid request size -1");
        assertThat(FrameDecoder.rejectSize(8, 100)).isNull();
        assertThat(FrameDecoder.rejectSize(100, 100)).isNull();
    }

    @Test
    void shouldReportEndOfStreamInTheMiddleOfAFrame() {
        ChunkChannel ch = new ChunkChannel().add(new byte[] {0, 0, 0, 20, 1, 2, 3});
        ch.eof = true;
        FrameDecoder d = new FrameDecoder(1024);
        assertThatThrownBy(() -> {
                    for (int i = 0; i < 5; i++) {
                        d.readFrom(ch);
                    }
                })
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("20-byte request");
    }
}
