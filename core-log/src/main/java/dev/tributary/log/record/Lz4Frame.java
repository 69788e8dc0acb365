package dev.tributary.log.record;

import dev.tributary.log.internal.GrowableBuffer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The LZ4 frame format as Kafka writes it inside v2 batches (codec 3). Kafka's producer emits the standard
 * LZ4 frame (lz4 frame spec v1.5) with 64 KiB independent blocks and no checksums; every field is little endian:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  magic 0x184D2204 (LE)                        |
 * +---------------+---------------+---------------+---------------+
 * |      FLG      |      BD       |      HC       |  blocks ...
 * +---------------+---------------+---------------+
 * FLG: bits 7-6 version (01), 5 block independence, 4 block checksum, 3 content size, 2 content checksum
 * BD:  bits 6-4 max block size (4 = 64 KiB, 5 = 256 KiB, 6 = 1 MiB, 7 = 4 MiB)
 * HC:  second byte of xxhash32(FLG..end of descriptor, seed 0)
 * block: int32 LE size (high bit set = stored uncompressed), data, [int32 block checksum]
 * end mark: int32 0, then [int32 content checksum]
 * </pre>
 *
 * Only v2 batches are written, so the header checksum is the correct one (Kafka's magic-0/1 "broken" checksum
 * that also hashed the magic number does not apply).
 */
final class Lz4Frame {
    static final int MAGIC = 0x184D2204;
    static final int FLG_VERSION = 0x40;
    static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    static final int FLG_BLOCK_CHECKSUM = 0x10;
    static final int FLG_CONTENT_SIZE = 0x08;
    static final int FLG_CONTENT_CHECKSUM = 0x04;
    static final int BD_64KB = 4 << 4;
    static final int BLOCK_SIZE = 64 * 1024;
    static final int UNCOMPRESSED_FLAG = 0x80000000;

    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final LZ4SafeDecompressor DECOMPRESSOR =
            LZ4Factory.fastestInstance().safeDecompressor();
    private static final XXHash32 XXHASH = XXHashFactory.fastestInstance().hash32();

    private Lz4Frame() {}

    static ByteBuffer compress(ByteBuffer src) {
        int len = src.remaining();
        int blocks = Math.max(1, (len + BLOCK_SIZE - 1) / BLOCK_SIZE);
        int max = 7 + blocks * (4 + COMPRESSOR.maxCompressedLength(BLOCK_SIZE)) + 4;
        ByteBuffer out = ByteBuffer.allocate(max).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC);
        int flg = FLG_VERSION | FLG_BLOCK_INDEPENDENCE;
        out.put((byte) flg);
        out.put((byte) BD_64KB);
        out.put(headerChecksum(out, 4, 2));
        int pos = src.position();
        int end = src.limit();
        while (pos < end) {
            int n = Math.min(BLOCK_SIZE, end - pos);
            int sizePos = out.position();
            int dataPos = sizePos + 4;
            int compressed = COMPRESSOR.compress(src, pos, n, out, dataPos, out.capacity() - dataPos);
            if (compressed >= n) {
                // incompressible: store raw, as the spec allows, so a block never grows
                out.putInt(sizePos, n | UNCOMPRESSED_FLAG);
                ByteBuffer raw = src.duplicate();
                raw.limit(pos + n).position(pos);
                out.position(dataPos);
                out.put(raw);
            } else {
                out.putInt(sizePos, compressed);
                out.position(dataPos + compressed);
            }
            pos += n;
        }
        out.putInt(0);
        out.flip();
        return out.order(ByteOrder.BIG_ENDIAN);
    }

    private static byte headerChecksum(ByteBuffer buf, int from, int len) {
        int hash = XXHASH.hash(buf, from, len, 0);
        return (byte) ((hash >> 8) & 0xff);
    }

    static void decompress(ByteBuffer src, GrowableBuffer out) throws IOException {
        ByteBuffer in = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (in.remaining() < 7) {
            throw new IOException("lz4 frame shorter than its header: " + in.remaining() + " bytes");
        }
        int magic = in.getInt();
        if (magic != MAGIC) {
            throw new IOException("lz4 frame magic 0x" + Integer.toHexString(magic) + " is not 0x184d2204");
        }
        int flg = in.get() & 0xff;
        if ((flg & 0xc0) != FLG_VERSION) {
            throw new IOException("lz4 frame version bits " + (flg >> 6) + " unsupported");
        }
        int bd = in.get() & 0xff;
        int blockSizeCode = (bd >> 4) & 0x7;
        if (blockSizeCode < 4) {
            throw new IOException("lz4 block size code " + blockSizeCode + " invalid");
        }
        int maxBlock = 1 << (8 + 2 * blockSizeCode);
        if ((flg & FLG_CONTENT_SIZE) != 0) {
            in.position(in.position() + 8);
        }
        int descriptorLen = in.position() - 4;
        byte hc = in.get();
        if (hc != headerChecksum(in, 4, descriptorLen)) {
            throw new IOException("lz4 frame header checksum mismatch");
        }
        boolean blockChecksum = (flg & FLG_BLOCK_CHECKSUM) != 0;
        while (true) {
            if (in.remaining() < 4) {
                throw new IOException("lz4 frame truncated before end mark");
            }
            int size = in.getInt();
            if (size == 0) {
                break;
            }
            boolean stored = (size & UNCOMPRESSED_FLAG) != 0;
            size &= ~UNCOMPRESSED_FLAG;
            if (size > in.remaining() || size > maxBlock + 16) {
                throw new IOException("lz4 block size " + size + " exceeds frame");
            }
            int dataPos = in.position();
            if (stored) {
                ByteBuffer target = out.writableView(size);
                ByteBuffer raw = in.duplicate();
                raw.limit(dataPos + size);
                target.put(raw);
                out.advance(size);
            } else {
                ByteBuffer target = out.writableView(maxBlock);
                try {
                    int n = DECOMPRESSOR.decompress(in, dataPos, size, target, 0, maxBlock);
                    out.advance(n);
                } catch (LZ4Exception e) {
                    throw new IOException("lz4 block at " + dataPos + " is corrupt", e);
                }
            }
            in.position(dataPos + size + (blockChecksum ? 4 : 0));
        }
        // a content checksum, if present, follows the end mark; the batch CRC already covers these bytes
    }
}
