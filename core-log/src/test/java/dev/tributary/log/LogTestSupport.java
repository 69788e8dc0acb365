package dev.tributary.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.log.index.OffsetIndex;
import dev.tributary.log.index.OffsetPosition;
import dev.tributary.log.index.TimeIndex;
import dev.tributary.log.record.Codec;
import dev.tributary.log.record.Header;
import dev.tributary.log.record.RecordBatch;
import dev.tributary.log.record.RecordBatchBuilder;
import dev.tributary.log.segment.FileBatches;
import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Batches to append and checks of a log's files, shared by the storage tests. */
public final class LogTestSupport {
    private LogTestSupport() {}

    /** A batch of {@code count} records "k{i}"/"v{i}" padded to {@code valueSize}, timestamps ts, ts+1, ... */
    public static ByteBuffer batch(Codec codec, int count, int valueSize, long ts) {
        RecordBatchBuilder b = RecordBatchBuilder.create(codec);
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueSize];
            byte[] tag = ("v" + i).getBytes(StandardCharsets.UTF_8);
            System.arraycopy(tag, 0, value, 0, Math.min(tag.length, valueSize));
            b.append(ts + i, ("k" + i).getBytes(StandardCharsets.UTF_8), value, Header.of("h", "x" + i));
        }
        return b.build();
    }

    public static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    /** Reads all bytes of a region. */
    public static ByteBuffer readRegion(FileRegion region) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(region.length());
        FileBatches.readFully(region.channel(), buf, region.position());
        return buf.flip();
    }

    /** The batches in a buffer of whole batches. */
    public static List<RecordBatch> batchesIn(ByteBuffer buf) {
        List<RecordBatch> out = new ArrayList<>();
        int p = buf.position();
        while (p < buf.limit()) {
            RecordBatch b = new RecordBatch().wrap(buf, p);
            out.add(b);
            p += b.sizeInBytes();
        }
        assertThat(p).as("region ends on a batch boundary").isEqualTo(buf.limit());
        return out;
    }

    /**
     * Checks every segment's indexes the way Kafka's DumpLogSegments --verify-index-only does: each offset index
     * entry points at a batch whose last offset is the entry's offset, offsets increase; each time index entry
     * names the last offset of a batch whose max timestamp is the entry's timestamp, timestamps increase; and the
     * offset index has an entry wherever index.interval.bytes says it must.
     */
    public static void assertIndexesConsistent(Log log) {
        for (LogSegment seg : log.segments()) {
            Map<Long, RecordBatch> byLastOffset = new HashMap<>();
            Map<Integer, RecordBatch> byPosition = new HashMap<>();
            Iterator<FileBatches.FileBatch> it = seg.batchesFrom(0);
            long bytesSince = 0;
            int expectedEntries = 0;
            while (it.hasNext()) {
                FileBatches.FileBatch fb = it.next();
                assertThat(fb.batch().isValid())
                        .as("batch at %d of %s valid", fb.position(), seg)
                        .isTrue();
                byLastOffset.put(fb.batch().lastOffset(), fb.batch());
                byPosition.put(fb.position(), fb.batch());
                if (bytesSince > log.config().indexIntervalBytes()) {
                    expectedEntries++;
                    bytesSince = 0;
                }
                bytesSince += fb.batch().sizeInBytes();
            }
            OffsetIndex oi = seg.offsetIndex();
            assertThat(oi.entries()).as("offset index entries of %s", seg).isEqualTo(expectedEntries);
            long prev = -1;
            for (int i = 0; i < oi.entries(); i++) {
                OffsetPosition e = oi.entry(i);
                RecordBatch b = byPosition.get(e.position());
                assertThat(b)
                        .as("offset index entry %s of %s points at a batch", e, seg)
                        .isNotNull();
                assertThat(b.lastOffset()).as("offset index entry %s", e).isEqualTo(e.offset());
                assertThat(e.offset()).isGreaterThan(prev);
                prev = e.offset();
            }
            TimeIndex ti = seg.timeIndex();
            long prevTs = -1;
            for (int i = 0; i < ti.entries(); i++) {
                TimestampOffset e = ti.entry(i);
                RecordBatch b = byLastOffset.get(e.offset());
                assertThat(b)
                        .as("time index entry %s of %s names a batch's last offset", e, seg)
                        .isNotNull();
                assertThat(b.maxTimestamp()).as("time index entry %s", e).isEqualTo(e.timestamp());
                assertThat(e.timestamp()).isGreaterThan(prevTs);
                prevTs = e.timestamp();
            }
        }
    }
}
