package dev.tributary.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class CompleteBatchesTest {

    /** A fake batch: base offset, size, then {@code bodyBytes} bytes of {@code fill}. */
    private static void batch(ByteBuffer into, long baseOffset, int bodyBytes, byte fill) {
        into.putLong(baseOffset).putInt(bodyBytes);
        for (int i = 0; i < bodyBytes; i++) {
            into.put(fill);
        }
    }

    @Test
    void shouldKeepEveryBatchWhenTheLastOneIsWhole() {
        ByteBuffer b = ByteBuffer.allocate(2 * 12 + 30 + 50);
        batch(b, 0, 30, (byte) 1);
        batch(b, 5, 50, (byte) 2);
        b.flip();

        ByteBuffer whole = CompleteBatches.prefix(b);

        assertThat(whole.remaining()).isEqualTo(b.remaining());
        assertThat(whole).isEqualTo(b);
    }

    @Test
    void shouldDropATrailingBatchCutShort() {
        ByteBuffer b = ByteBuffer.allocate(200);
        batch(b, 0, 30, (byte) 1);
        batch(b, 5, 50, (byte) 2);
        b.flip();
        ByteBuffer cut = b.duplicate().limit(12 + 30 + 12 + 49);

        ByteBuffer whole = CompleteBatches.prefix(cut);

        assertThat(whole.remaining()).isEqualTo(12 + 30);
        assertThat(whole.getLong(0)).isZero();
        assertThat(cut.position()).as("the input is not moved").isZero();
    }

    @Test
    void shouldDropATrailingHeaderCutShort() {
        ByteBuffer b = ByteBuffer.allocate(12 + 30 + 8);
        batch(b, 0, 30, (byte) 1);
        b.putLong(9).flip();
        b.limit(12 + 30 + 7);

        assertThat(CompleteBatches.prefix(b).remaining()).isEqualTo(12 + 30);
    }

    @Test
    void shouldReturnNothingForAFirstBatchCutShortOrEmptyInput() {
        ByteBuffer b = ByteBuffer.allocate(12 + 10);
        b.putLong(0).putInt(100).put(new byte[10]); // claims 100 bytes, has 10
        b.flip();

        assertThat(CompleteBatches.prefix(b).remaining()).isZero();
        assertThat(CompleteBatches.prefix(ByteBuffer.allocate(0)).remaining()).isZero();
    }

    @Test
    void shouldStopAtANegativeSize() {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 + 12);
        batch(b, 0, 4, (byte) 1);
        b.putLong(1).putInt(-5).flip();

        assertThat(CompleteBatches.prefix(b).remaining()).isEqualTo(16);
    }

    @Test
    void shouldStartAtTheBufferPosition() {
        ByteBuffer b = ByteBuffer.allocate(3 + 12 + 8);
        b.put(new byte[] {9, 9, 9});
        batch(b, 7, 8, (byte) 3);
        b.flip().position(3);

        ByteBuffer whole = CompleteBatches.prefix(b);

        assertThat(whole.remaining()).isEqualTo(20);
        assertThat(whole.getLong(0)).isEqualTo(7);
    }
}
