package dev.tributary.spark.read;

import dev.tributary.spark.offsets.OffsetRange;
import org.apache.spark.sql.connector.read.InputPartition;

/** One Spark task: one offset range of one topic-partition. */
public record TributaryInputPartition(OffsetRange range) implements InputPartition {
    @Override
    public String[] preferredLocations() {
        return range.preferredLocation() == null ? new String[0] : new String[] {range.preferredLocation()};
    }
}
