package dev.tributary.metadata.apply;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.MetadataError;
import dev.tributary.metadata.image.PartitionState;

/** The outcome of a rule applied to one partition: its new state, or why the rule refused. */
public record PartitionChange(PartitionState state, CommandResult.Rejected rejection) {

    public static PartitionChange to(PartitionState state) {
        return new PartitionChange(state, null);
    }

    public static PartitionChange refused(MetadataError error, String message) {
        return new PartitionChange(null, new CommandResult.Rejected(error, message));
    }

    public boolean refused() {
        return rejection != null;
    }
}
