package dev.tributary.log.record;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.tributary.log.internal.ByteBufferInputStream;
import dev.tributary.log.internal.GrowableBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * Compression of the records section of a v2 batch; {@link #id()} is the value of attribute bits 0-2.
 * Each codec writes the framing Kafka's clients write, so batches travel both ways unchanged: gzip (RFC 1952),
 * snappy in xerial's stream framing, LZ4 in the LZ4 frame format ({@link Lz4Frame}), zstd frames.
 */
public enum Codec {
    NONE(0, "none"),
    GZIP(1, "gzip"),
    SNAPPY(2, "snappy"),
    LZ4(3, "lz4"),
    ZSTD(4, "zstd");

    private static final Codec[] BY_ID = {NONE, GZIP, SNAPPY, LZ4, ZSTD};
    /** Kafka's default zstd level. */
    private static final int ZSTD_LEVEL = 3;

    private final int id;
    private final String kafkaName;

    Codec(int id, String kafkaName) {
        this.id = id;
        this.kafkaName = kafkaName;
    }

    public int id() {
        return id;
    }

    /** The name Kafka uses in {@code compression.type}. */
    public String kafkaName() {
        return kafkaName;
    }

    /** The codec for attribute bits 0-2, or null for an unknown id (5-7). */
    public static Codec forId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }

    /** Compresses the remaining bytes of {@code src} (position untouched) into a new buffer. */
    public ByteBuffer compress(ByteBuffer src) {
        if (this == NONE) {
            return src.duplicate();
        }
        if (this == LZ4) {
            return Lz4Frame.compress(src.duplicate());
        }
        GrowableBuffer out = new GrowableBuffer(Math.max(64, src.remaining() / 2));
        try (OutputStream os = wrap(out)) {
            if (src.hasArray()) {
                os.write(src.array(), src.arrayOffset() + src.position(), src.remaining());
            } else {
                byte[] copy = new byte[src.remaining()];
                src.duplicate().get(copy);
                os.write(copy);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("compressing with " + kafkaName, e);
        }
        return out.view();
    }

    private OutputStream wrap(OutputStream out) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPOutputStream(out, 8 * 1024);
            case SNAPPY -> new SnappyOutputStream(out);
            case ZSTD -> new ZstdOutputStreamNoFinalizer(out, ZSTD_LEVEL);
            default -> throw new IllegalStateException(name());
        };
    }

    /**
     * Decompresses the remaining bytes of {@code src} into {@code out} (appending).
     *
     * @throws IOException when the compressed bytes are damaged
     */
    public void decompress(ByteBuffer src, GrowableBuffer out) throws IOException {
        try {
            switch (this) {
                case NONE -> out.write(src);
                case LZ4 -> Lz4Frame.decompress(src, out);
                case SNAPPY -> SnappyFrame.decompress(src, out);
                default -> {
                    try (InputStream in = unwrap(new ByteBufferInputStream(src))) {
                        out.readFully(in);
                    }
                }
            }
        } catch (GrowableBuffer.LimitExceededException e) {
            throw new IOException(kafkaName + " records decompress beyond the limit: " + e.getMessage(), e);
        } catch (RuntimeException | org.xerial.snappy.SnappyError e) {
            // native codecs report damaged input with their own unchecked exceptions
            throw new IOException(kafkaName + " decompression failed: " + e, e);
        }
    }

    private InputStream unwrap(InputStream in) throws IOException {
        return switch (this) {
            case GZIP -> new GZIPInputStream(in, 8 * 1024);
            // reuses zstd-jni's input buffers across batches instead of allocating them per stream
            case ZSTD -> new ZstdInputStreamNoFinalizer(in, RecyclingBufferPool.INSTANCE);
            default -> throw new IllegalStateException(name());
        };
    }
}
