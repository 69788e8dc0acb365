package dev.tributary.log.cleaner;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits the segments to clean into groups, each of which becomes one cleaned segment. Pure logic, no I/O.
 *
 * <p>Cleaning shrinks segments, so without merging a compacted log would keep one tiny segment per roll forever
 * (one open file and two mmaps each). Consecutive segments are merged while the group's total size stays within
 * {@code segment.bytes}, its offset index entries within {@code segment.index.bytes}, and its offsets within
 * {@code Integer.MAX_VALUE} of the group's base (index entries store offsets relative to it). Sizes are those of the
 * uncleaned inputs, an upper bound on the output.
 */
public final class SegmentGroups {
    private SegmentGroups() {}

    /**
     * @param baseOffset      the segment's base offset
     * @param nextOffset      one past its last offset
     * @param sizeInBytes     bytes of its log file
     * @param indexBytes      bytes of its offset index entries
     * @param timeIndexBytes  bytes of its time index entries
     */
    public record Segment(long baseOffset, long nextOffset, long sizeInBytes, long indexBytes, long timeIndexBytes) {}

    /** Groups of consecutive indices into {@code segments}; every segment is in exactly one group. */
    public static List<List<Integer>> group(List<Segment> segments, long maxSegmentBytes, long maxIndexBytes) {
        List<List<Integer>> groups = new ArrayList<>();
        int i = 0;
        while (i < segments.size()) {
            List<Integer> g = new ArrayList<>();
            Segment first = segments.get(i);
            long size = first.sizeInBytes();
            long index = first.indexBytes();
            long timeIndex = first.timeIndexBytes();
            g.add(i++);
            while (i < segments.size()) {
                Segment s = segments.get(i);
                if (size + s.sizeInBytes() > maxSegmentBytes
                        || index + s.indexBytes() > maxIndexBytes
                        || timeIndex + s.timeIndexBytes() > maxIndexBytes
                        || s.nextOffset() - 1 - first.baseOffset() > Integer.MAX_VALUE) {
                    break;
                }
                size += s.sizeInBytes();
                index += s.indexBytes();
                timeIndex += s.timeIndexBytes();
                g.add(i++);
            }
            groups.add(g);
        }
        return groups;
    }
}
