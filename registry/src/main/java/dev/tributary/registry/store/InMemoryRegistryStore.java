package dev.tributary.registry.store;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link RegistryStore} that keeps its log in a list. Not durable: for unit tests and benchmarks. A test
 * can start a second registry on the same instance to imitate a restart.
 */
public final class InMemoryRegistryStore implements RegistryStore {
    private final List<StoreRecord> log = new ArrayList<>();
    private Consumer<StoreRecord> listener;

    @Override
    public synchronized void start(Consumer<StoreRecord> listener) {
        this.listener = listener;
        log.forEach(listener);
    }

    @Override
    public synchronized void write(StoreRecord record) {
        log.add(record);
        if (listener != null) {
            listener.accept(record);
        }
    }

    /** The entries written so far, oldest first. */
    public synchronized List<StoreRecord> entries() {
        return List.copyOf(log);
    }

    @Override
    public synchronized void close() {
        listener = null;
    }
}
