package dev.tributary.registry.store;

import java.util.function.Consumer;

/**
 * Where the registry keeps its entries. The HTTP and compatibility logic sees only this interface, so it is
 * tested with {@link InMemoryRegistryStore}; the broker runs {@link KafkaRegistryStore}.
 *
 * <p>Contract: {@link #start} replays every stored entry in log order into the listener and returns only once
 * the replay has reached the end that existed when it was called. {@link #write} returns only once the entry
 * is durable and the listener has seen it, so a read that follows a write sees the write. The listener is
 * called from one thread at a time.
 */
public interface RegistryStore extends AutoCloseable {

    void start(Consumer<StoreRecord> listener);

    void write(StoreRecord record);

    @Override
    void close();
}
