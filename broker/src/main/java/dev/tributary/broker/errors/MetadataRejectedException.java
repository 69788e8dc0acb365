package dev.tributary.broker.errors;

import dev.tributary.metadata.command.MetadataError;
import java.util.Objects;

/**
 * The cluster metadata quorum refused a command (a topic that already exists, an unknown topic, a bad
 * assignment...). The client's error code is the one {@code ErrorCodes} gives {@link #error()}.
 */
public class MetadataRejectedException extends BrokerException {
    private final MetadataError error;

    public MetadataRejectedException(MetadataError error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public MetadataError error() {
        return error;
    }
}
