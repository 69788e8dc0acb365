/**
 * Log compaction ({@code cleanup.policy=compact} and {@code compact,delete}), split three ways:
 *
 * <ul>
 *   <li><b>Scheduling</b>: {@link dev.tributary.log.cleaner.LogCleaner} (threads, back-off, totals; its javadoc lists
 *       every rule compaction guarantees) and {@link dev.tributary.log.cleaner.Throttler} (the I/O limit).</li>
 *   <li><b>Bookkeeping of what is dirty</b>: {@link dev.tributary.log.cleaner.LogCleanerManager} (which log next, which
 *       are in progress), {@link dev.tributary.log.cleaner.DirtyRange} (pure: dirty ratio, active segment,
 *       min/max compaction lag) and {@link dev.tributary.log.cleaner.CleanerOffsetCheckpoint} (the
 *       {@code cleaner-offset-checkpoint} file of each data dir).</li>
 *   <li><b>The algorithm</b>: {@link dev.tributary.log.cleaner.Cleaner} (one run), {@link dev.tributary.log.cleaner.OffsetMap}
 *       (off-heap key digest to latest offset), {@link dev.tributary.log.cleaner.BatchCleaner} (the per-record rules
 *       and the rewritten batch), {@link dev.tributary.log.cleaner.SegmentGroups} (pure: which segments merge),
 *       {@code CleanedSegmentWriter} (the {@code .cleaned} files) and {@link dev.tributary.log.cleaner.SegmentSwap}
 *       (the crash-safe {@code .cleaned -> .swap -> replace} protocol and its recovery at open).</li>
 * </ul>
 *
 * <p>The only hooks in the rest of core-log: {@link dev.tributary.log.Log#replaceSegments} (the swap under the log's
 * lock) and the call to {@link dev.tributary.log.cleaner.SegmentSwap#completeInterruptedSwaps} when a log opens.
 */
package dev.tributary.log.cleaner;
