package dev.tributary.log.cleaner;

import dev.tributary.log.Log;
import dev.tributary.log.record.Record;
import dev.tributary.log.record.RecordBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/** Reading a log back as plain values, for comparing states before and after cleaning. */
final class CleanerTestSupport {
    private CleanerTestSupport() {}

    /** One record as the log holds it. */
    record Rec(long offset, String key, byte[] value) {
        boolean tombstone() {
            return value == null;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rec r
                    && r.offset == offset
                    && Objects.equals(r.key, key)
                    && Arrays.equals(r.value, value);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(offset);
        }

        @Override
        public String toString() {
            return offset + ":" + key + "=" + (value == null ? "null" : new String(value, StandardCharsets.UTF_8));
        }
    }

    /** Header fields of one batch that compaction must keep. */
    record BatchInfo(
            long baseOffset,
            long lastOffset,
            int count,
            long producerId,
            short epoch,
            int baseSequence,
            int lastSequence,
            boolean deleteHorizon) {}

    static List<Rec> records(Log log) {
        List<Rec> out = new ArrayList<>();
        Iterator<RecordBatch> it = log.batches(log.logStartOffset());
        while (it.hasNext()) {
            RecordBatch b = it.next();
            for (Record r : b) {
                out.add(new Rec(
                        r.offset(),
                        r.hasKey() ? new String(r.keyBytes(), StandardCharsets.UTF_8) : null,
                        r.valueBytes()));
            }
        }
        return out;
    }

    static List<BatchInfo> batches(Log log) {
        List<BatchInfo> out = new ArrayList<>();
        Iterator<RecordBatch> it = log.batches(log.logStartOffset());
        while (it.hasNext()) {
            RecordBatch b = it.next();
            out.add(new BatchInfo(
                    b.baseOffset(),
                    b.lastOffset(),
                    b.recordCount(),
                    b.producerId(),
                    b.producerEpoch(),
                    b.baseSequence(),
                    b.lastSequence(),
                    b.hasDeleteHorizon()));
        }
        return out;
    }

    /** Everything a reader can observe: batches (headers that matter) and records. */
    static String render(Log log) {
        return batches(log) + "\n" + records(log);
    }
}
