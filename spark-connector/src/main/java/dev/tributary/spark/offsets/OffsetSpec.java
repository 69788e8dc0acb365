package dev.tributary.spark.offsets;

import java.io.Serializable;

/**
 * Where a query starts or ends, as the user wrote it: {@code startingOffsets}/{@code endingOffsets}
 * ("earliest", "latest" or per-partition JSON where -2 means earliest and -1 latest), a global
 * {@code startingTimestamp}/{@code endingTimestamp}, or per-partition timestamps. Turned into concrete
 * offsets by {@link OffsetSpecResolver}.
 */
public sealed interface OffsetSpec extends Serializable {
    long EARLIEST = -2L;
    long LATEST = -1L;

    record Earliest() implements OffsetSpec {}

    record Latest() implements OffsetSpec {}

    /** Offsets per partition; {@link #EARLIEST}/{@link #LATEST} allowed as values. */
    record Specific(PartitionOffsets offsets) implements OffsetSpec {}

    /** One timestamp (ms) for every partition: the first offset whose record timestamp is >= it. */
    record GlobalTimestamp(long timestampMs) implements OffsetSpec {}

    /** A timestamp (ms) per partition. */
    record PartitionTimestamps(PartitionOffsets timestampsMs) implements OffsetSpec {}
}
