package dev.tributary.log.cleaner;

/**
 * The figures of one cleaning run, as numbers a metrics endpoint can report. Immutable; built by {@link Cleaner}.
 *
 * @param log                 {@code topic-partition}
 * @param firstDirtyOffset    where the dirty section started
 * @param endOffset           the cleaning point: everything below is clean now (the next run's first dirty offset)
 * @param bytesRead           bytes read: building the offset map plus recopying segments
 * @param mapBytesRead        of which, bytes read to build the offset map
 * @param bytesWritten        bytes of cleaned segments written
 * @param recordsRead         records examined while recopying
 * @param recordsRemoved      records dropped (superseded, expired tombstones, keyless)
 * @param tombstonesRemoved   of which, tombstones past their delete horizon
 * @param keylessRemoved      of which, records without a key
 * @param batchesRemoved      batches that disappeared entirely
 * @param mapEntries          distinct keys in the offset map
 * @param segmentsBefore      segments replaced
 * @param segmentsAfter       cleaned segments swapped in
 * @param durationNanos       wall time of the whole run (including throttling)
 * @param throttledNanos      time spent sleeping in the I/O throttle
 * @param cpuNanos            CPU time (user + system) of the cleaning thread during the run, -1 when the JVM cannot
 *                            tell; on a shared machine wall time measures the neighbours, this measures the cleaner
 * @param aborted             true when the run stopped early (the log changed underneath); figures are partial
 */
public record CleanerStats(
        String log,
        long firstDirtyOffset,
        long endOffset,
        long bytesRead,
        long mapBytesRead,
        long bytesWritten,
        long recordsRead,
        long recordsRemoved,
        long tombstonesRemoved,
        long keylessRemoved,
        long batchesRemoved,
        long mapEntries,
        int segmentsBefore,
        int segmentsAfter,
        long durationNanos,
        long throttledNanos,
        long cpuNanos,
        boolean aborted) {

    public double durationSeconds() {
        return durationNanos / 1e9;
    }

    /** Bytes read per second, in MB (10^6 bytes) per second. */
    public double readMBPerSecond() {
        return durationNanos == 0 ? 0 : bytesRead / 1e6 / durationSeconds();
    }

    /** Bytes written per second, in MB per second. */
    public double writeMBPerSecond() {
        return durationNanos == 0 ? 0 : bytesWritten / 1e6 / durationSeconds();
    }

    /** One line for the log. */
    public String summary() {
        return String.format(
                "%s cleaned offsets %d..%d%s in %.3f s: read %.1f MB (%.1f MB for the offset map of %d"
                        + " keys), wrote %.1f MB, removed %d of %d records (%d tombstones, %d keyless) and %d batches,"
                        + " %d segments -> %d; %.1f MB/s read, %.1f MB/s written, throttled %.3f s, CPU %.3f s",
                log,
                firstDirtyOffset,
                endOffset,
                aborted ? " (aborted)" : "",
                durationSeconds(),
                bytesRead / 1e6,
                mapBytesRead / 1e6,
                mapEntries,
                bytesWritten / 1e6,
                recordsRemoved,
                recordsRead,
                tombstonesRemoved,
                keylessRemoved,
                batchesRemoved,
                segmentsBefore,
                segmentsAfter,
                readMBPerSecond(),
                writeMBPerSecond(),
                throttledNanos / 1e9,
                cpuNanos / 1e9);
    }
}
