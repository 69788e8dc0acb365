package dev.tributary.registry;

/**
 * Where the ids of new schemas come from. A registry alone in its process takes the next id after the highest
 * it has read ({@link #AFTER_HIGHEST_READ}); registries on several brokers that share one {@code _schemas}
 * topic take them from something all of them agree on (the broker's metadata quorum), so that two of them
 * never give the same id to different schemas.
 *
 * <p>Called under the registry's write lock, at most once per registration.
 */
@FunctionalInterface
public interface SchemaIdSource {

    /**
     * An id nobody has been given before, at least {@code minimum} (one past the highest id the registry has
     * read, so ids stay above those already in the topic).
     *
     * @throws RegistryException when no id can be had now (the caller answers the client with it)
     */
    int next(int minimum);

    /** One writer: the next id is one past the highest read. */
    SchemaIdSource AFTER_HIGHEST_READ = minimum -> minimum;
}
