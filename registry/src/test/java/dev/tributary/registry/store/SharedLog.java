package dev.tributary.registry.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One {@code _schemas} log shared by the registries of several imaginary brokers, without Kafka. Each
 * {@link #reader()} is one broker's store: it sees the log in order, but only when it writes (up to and
 * including its own entry, as {@link KafkaRegistryStore} does) or when the test calls {@link Reader#catchUp()},
 * so a test decides exactly how stale each broker is.
 */
public final class SharedLog {
    private final List<StoreRecord> log = new ArrayList<>();

    public Reader reader() {
        return new Reader();
    }

    public synchronized List<StoreRecord> entries() {
        return List.copyOf(log);
    }

    /** What compaction leaves: the last entry of each key, in the order of those entries (tombstones too). */
    public synchronized List<StoreRecord> compacted() {
        Map<StoreRecord.StoreKey, Integer> last = new LinkedHashMap<>();
        for (int i = 0; i < log.size(); i++) {
            last.put(log.get(i).key(), i);
        }
        return last.values().stream().sorted().map(log::get).toList();
    }

    private synchronized int append(StoreRecord record) {
        log.add(record);
        return log.size();
    }

    private synchronized List<StoreRecord> range(int from, int to) {
        return List.copyOf(log.subList(from, to));
    }

    private synchronized int size() {
        return log.size();
    }

    /** One broker's view of the shared log. */
    public final class Reader implements RegistryStore {
        private Consumer<StoreRecord> listener;
        private int position;

        @Override
        public synchronized void start(Consumer<StoreRecord> listener) {
            this.listener = listener;
            catchUp();
        }

        @Override
        public synchronized void write(StoreRecord record) {
            deliverUpTo(append(record));
        }

        /** Applies every entry written so far. */
        public synchronized void catchUp() {
            deliverUpTo(size());
        }

        private void deliverUpTo(int end) {
            if (end > position) {
                range(position, end).forEach(listener);
                position = end;
            }
        }

        @Override
        public void close() {}
    }
}
