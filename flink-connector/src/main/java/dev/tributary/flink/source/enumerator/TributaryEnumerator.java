package dev.tributary.flink.source.enumerator;

import dev.tributary.flink.source.split.TributarySplit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.util.FlinkRuntimeException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers partitions and hands splits to readers.
 *
 * <p>Threads: discovery (broker calls, offset resolution) runs on the context's worker thread through
 * {@code callAsync}; everything that changes state runs on the coordinator thread in
 * {@link #onDiscovery}. The worker only reads {@link #knownPartitions}, a concurrent set, to skip
 * resolving offsets for partitions already handed out; the coordinator re-checks before adding.
 *
 * <p>Splits are pushed: each has a fixed owner ({@link SplitPlanner#ownerOf}) and waits in
 * {@link #pending} until that reader registers.
 */
public final class TributaryEnumerator implements SplitEnumerator<TributarySplit, TributaryEnumeratorState> {

    private static final Logger LOG = LoggerFactory.getLogger(TributaryEnumerator.class);

    private final SplitEnumeratorContext<TributarySplit> context;
    private final EnumeratorSettings settings;
    private final Function<EnumeratorSettings, BrokerMetadata> metadataFactory;
    private final Set<TopicPartition> knownPartitions = ConcurrentHashMap.newKeySet();
    private final Map<Integer, List<TributarySplit>> pending = new HashMap<>();
    private final Set<Integer> toldNoMoreSplits = new HashSet<>();
    private volatile boolean initialDiscoveryDone;
    private BrokerMetadata metadata;

    public TributaryEnumerator(
            SplitEnumeratorContext<TributarySplit> context,
            EnumeratorSettings settings,
            TributaryEnumeratorState restored) {
        this.context = context;
        this.settings = settings;
        this.metadataFactory = s -> new BrokerMetadata(s.clientProps(), s.groupId());
        if (restored != null) {
            knownPartitions.addAll(restored.knownPartitions());
            restored.pendingSplits().forEach(this::addPending);
            initialDiscoveryDone = restored.initialDiscoveryDone();
        }
    }

    @Override
    public void start() {
        if (settings.discoveryIntervalMs() > 0) {
            LOG.info(
                    "Discovering partitions of {} every {} ms",
                    settings.subscription(),
                    settings.discoveryIntervalMs());
            context.callAsync(this::discover, this::onDiscovery, 0, settings.discoveryIntervalMs());
        } else {
            LOG.info("Discovering partitions of {} once", settings.subscription());
            context.callAsync(this::discover, this::onDiscovery);
        }
    }

    /** What one discovery round found: every partition that exists now, and splits for the new ones. */
    record Discovery(Set<TopicPartition> current, List<TributarySplit> newSplits) {}

    /** Worker thread: broker calls only, no state changes. */
    private Discovery discover() {
        if (metadata == null) {
            metadata = metadataFactory.apply(settings);
        }
        Set<TopicPartition> current = settings.subscription().select(metadata);
        List<TopicPartition> fresh =
                current.stream().filter(tp -> !knownPartitions.contains(tp)).toList();
        if (fresh.isEmpty()) {
            return new Discovery(current, List.of());
        }
        // After the first round, a partition that appears is new data: read it from its beginning.
        OffsetsInitializer start = initialDiscoveryDone ? OffsetsInitializer.earliest() : settings.start();
        Map<TopicPartition, Long> startOffsets = start.resolve(fresh, metadata);
        Map<TopicPartition, Long> stopOffsets = Map.of();
        long stopTimestamp = TributarySplit.NO_STOPPING_TIMESTAMP;
        OffsetsInitializer stop = settings.stop();
        if (stop != null) {
            if (stop.timestamp().isPresent()) {
                stopTimestamp = stop.timestamp().getAsLong();
                stopOffsets = settings.bounded()
                        ? stop.resolve(fresh, metadata)
                        : metadata.forTimestamp(fresh, stopTimestamp);
            } else {
                stopOffsets = stop.resolve(fresh, metadata);
            }
        }
        return new Discovery(
                current,
                SplitPlanner.plan(
                        fresh,
                        startOffsets,
                        stopOffsets,
                        stopTimestamp,
                        settings.bounded() ? settings.maxRangeSize() : 0));
    }

    /** Coordinator thread. */
    private void onDiscovery(Discovery found, Throwable error) {
        if (error != null) {
            if (!initialDiscoveryDone) {
                throw new FlinkRuntimeException(
                        "Initial partition discovery for " + settings.subscription() + " failed", error);
            }
            LOG.warn(
                    "Partition discovery for {} failed; retrying at the next interval", settings.subscription(), error);
            return;
        }
        Set<TopicPartition> gone = new HashSet<>(knownPartitions);
        gone.removeAll(found.current());
        if (!gone.isEmpty() && initialDiscoveryDone) {
            // Deleted topics/partitions: stop tracking them so a re-created one is read from its start.
            LOG.warn("Partitions {} no longer exist; dropping them from {}", gone, settings.subscription());
            knownPartitions.removeAll(gone);
            pending.values().forEach(list -> list.removeIf(s -> gone.contains(s.topicPartition())));
            PartitionsRemovedEvent event = new PartitionsRemovedEvent(Set.copyOf(gone));
            context.registeredReaders().keySet().forEach(reader -> context.sendEventToSourceReader(reader, event));
        }
        Set<TopicPartition> added = new HashSet<>();
        for (TributarySplit split : found.newSplits()) {
            if (!knownPartitions.contains(split.topicPartition()) || added.contains(split.topicPartition())) {
                added.add(split.topicPartition());
                addPending(split);
            }
        }
        knownPartitions.addAll(added);
        if (!added.isEmpty()) {
            LOG.info("Discovered {} new partitions: {}", added.size(), added);
        }
        initialDiscoveryDone = true;
        assignPending();
    }

    private void addPending(TributarySplit split) {
        int owner = SplitPlanner.ownerOf(split, context.currentParallelism());
        pending.computeIfAbsent(owner, k -> new ArrayList<>()).add(split);
    }

    private void assignPending() {
        Map<Integer, List<TributarySplit>> assignment = new HashMap<>();
        for (Integer reader : context.registeredReaders().keySet()) {
            List<TributarySplit> splits = pending.remove(reader);
            if (splits != null && !splits.isEmpty()) {
                assignment.put(reader, splits);
            }
        }
        if (!assignment.isEmpty()) {
            LOG.debug("Assigning {}", assignment);
            context.assignSplits(new SplitsAssignment<>(assignment));
        }
        if (settings.finite() && initialDiscoveryDone) {
            for (Integer reader : context.registeredReaders().keySet()) {
                if (!pending.containsKey(reader) && toldNoMoreSplits.add(reader)) {
                    context.signalNoMoreSplits(reader);
                }
            }
        }
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Push model: splits are assigned as soon as they exist and their reader is registered.
    }

    @Override
    public void addSplitsBack(List<TributarySplit> splits, int subtaskId) {
        // A reader failed before checkpointing these; they go back to the same owner once it re-registers.
        splits.forEach(this::addPending);
        toldNoMoreSplits.remove(subtaskId);
        if (context.registeredReaders().containsKey(subtaskId)) {
            assignPending();
        }
    }

    @Override
    public void addReader(int subtaskId) {
        toldNoMoreSplits.remove(subtaskId);
        assignPending();
    }

    @Override
    public TributaryEnumeratorState snapshotState(long checkpointId) {
        List<TributarySplit> all = new ArrayList<>();
        pending.values().forEach(all::addAll);
        return new TributaryEnumeratorState(Set.copyOf(knownPartitions), all, initialDiscoveryDone);
    }

    @Override
    public void close() {
        if (metadata != null) {
            metadata.close();
        }
    }
}
