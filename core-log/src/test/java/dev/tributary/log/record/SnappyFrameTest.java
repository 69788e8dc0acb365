package dev.tributary.log.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.log.internal.GrowableBuffer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xerial.snappy.Snappy;
import org.xerial.snappy.SnappyOutputStream;

/** The block decoder against what snappy-java's stream writer (Kafka's producer) and raw snappy produce. */
class SnappyFrameTest {

    private static byte[] payload(int n) {
        byte[] b = new byte[n];
        Random r = new Random(n);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) ('a' + r.nextInt(6)); // compressible, not trivially
        }
        return b;
    }

    private static byte[] framed(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (SnappyOutputStream out = new SnappyOutputStream(bytes)) { // 32 KiB chunks
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private static ByteBuffer buffer(byte[] b, boolean direct) {
        if (!direct) {
            // a slice at a non-zero array offset, as a view into a larger request would be
            byte[] padded = new byte[b.length + 7];
            System.arraycopy(b, 0, padded, 7, b.length);
            return ByteBuffer.wrap(padded, 7, b.length).slice();
        }
        ByteBuffer d = ByteBuffer.allocateDirect(b.length);
        d.put(b).flip();
        return d;
    }

    private static byte[] decode(ByteBuffer in) throws IOException {
        GrowableBuffer out = new GrowableBuffer(16);
        out.write(new byte[] {9, 9}); // decompress appends
        Codec.SNAPPY.decompress(in, out);
        byte[] all = Arrays.copyOf(out.array(), out.size());
        assertThat(all[0]).isEqualTo((byte) 9);
        return Arrays.copyOfRange(all, 2, all.length);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decodesTheStreamFramingWithManyChunks(boolean direct) throws IOException {
        byte[] data = payload(200_000); // 7 chunks
        ByteBuffer in = buffer(framed(data), direct);
        int position = in.position();
        assertThat(decode(in)).isEqualTo(data);
        assertThat(in.position()).isEqualTo(position);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decodesARawBlockWithoutTheHeader(boolean direct) throws IOException {
        byte[] data = payload(50_000);
        assertThat(decode(buffer(Snappy.compress(data), direct))).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void decodesConcatenatedStreams(boolean direct) throws IOException {
        byte[] a = payload(40_000);
        byte[] b = payload(1_000);
        byte[] fa = framed(a);
        byte[] fb = framed(b);
        byte[] both = Arrays.copyOf(fa, fa.length + fb.length);
        System.arraycopy(fb, 0, both, fa.length, fb.length);
        byte[] expected = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, expected, a.length, b.length);
        assertThat(decode(buffer(both, direct))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void namesTheByteWhereATruncatedChunkEnds(boolean direct) throws IOException {
        byte[] whole = framed(payload(100_000));
        byte[] cut = Arrays.copyOf(whole, whole.length - 10);
        assertThatThrownBy(() -> decode(buffer(cut, direct)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("runs past the end (" + cut.length + " bytes)");
    }

    @Test
    void refusesDamagedBlocksWithAnIOException() throws IOException {
        byte[] whole = framed(payload(10_000));
        for (int i = 20; i < whole.length; i += 97) {
            whole[i] ^= 0x5a;
        }
        assertThatThrownBy(() -> decode(buffer(whole, false))).isInstanceOf(IOException.class);
    }

    @Test
    void refusesOutputBeyondTheBufferLimit() throws IOException {
        byte[] data = new byte[1 << 20]; // zeros: 1 MiB from a few KiB
        GrowableBuffer out = new GrowableBuffer(16).maxSize(64 * 1024);
        assertThatThrownBy(() -> Codec.SNAPPY.decompress(buffer(framed(data), true), out))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("beyond the limit");
    }
}
