package dev.tributary.log;

import dev.tributary.log.segment.LogSegment;
import java.io.IOException;
import java.util.List;

/** Puts a cleaned segment in place of old ones; see {@link Log#replaceSegments}. */
@FunctionalInterface
public interface SegmentReplacer {
    /** Renames files so the cleaned segment replaces {@code oldSegments}, and opens it. */
    LogSegment swapIn(List<LogSegment> oldSegments) throws IOException;
}
