package dev.tributary.broker.cluster;

import dev.tributary.metadata.command.CommandResult;
import dev.tributary.metadata.command.CommandResult.IdRange;
import dev.tributary.metadata.command.MetadataCommand.AllocateSchemaIds;
import dev.tributary.metadata.quorum.MetadataQuorum;
import java.time.Duration;

/**
 * Schema ids for the registry every broker of a cluster hosts, allocated by the metadata quorum one at a time,
 * so that the registries of two brokers never give one id to two different schemas. A registration allocates
 * at most one id, and registrations are rare, so one quorum commit each costs nothing that matters and keeps
 * ids dense (1, 2, 3, ... in the order schemas were first registered anywhere).
 */
public final class SchemaIds {
    /** How long an allocation may take to commit. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final MetadataQuorum quorum;

    public SchemaIds(MetadataQuorum quorum) {
        this.quorum = quorum;
    }

    /**
     * A schema id no broker's registry has been given, at least {@code minimum}.
     *
     * @throws IllegalStateException when the quorum refuses (ids would pass {@link Integer#MAX_VALUE})
     * @throws RuntimeException from the quorum client when it has no leader within {@link #TIMEOUT}
     */
    public int allocate(int minimum) {
        CommandResult r = quorum.client().submitAndWait(new AllocateSchemaIds(1, minimum), TIMEOUT);
        if (r instanceof IdRange range) {
            return Math.toIntExact(range.firstId());
        }
        throw new IllegalStateException("the metadata quorum did not allocate a schema id: " + r);
    }
}
