package dev.tributary.flink.source.reader;

import dev.tributary.flink.source.enumerator.PartitionsRemovedEvent;
import dev.tributary.flink.source.split.TributarySplit;
import dev.tributary.flink.source.split.TributarySplitState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * One source subtask: a single fetcher thread with a {@link TributarySplitReader}, records emitted by a
 * {@link TributaryRecordEmitter}. Adds group offset commits on checkpoint completion: the offsets of a
 * checkpoint are remembered at snapshot time and committed when that checkpoint completes.
 */
public final class TributarySourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<
                ConsumerRecord<byte[], byte[]>, T, TributarySplit, TributarySplitState> {

    private final TributaryFetcherManager fetchers;
    private final GroupOffsetCommitter committer;
    /** checkpoint id -> offsets to commit when it completes (task thread only). */
    private final SortedMap<Long, Map<TopicPartition, Long>> offsetsByCheckpoint = new TreeMap<>();
    /** Final offsets of finished whole-partition splits, committed with the next checkpoint. */
    private final Map<TopicPartition, Long> finishedOffsets = new HashMap<>();

    public TributarySourceReader(
            Supplier<SplitReader<ConsumerRecord<byte[], byte[]>, TributarySplit>> splitReader,
            TributaryRecordEmitter<T> emitter,
            Configuration config,
            SourceReaderContext context,
            GroupOffsetCommitter committer) {
        this(new TributaryFetcherManager(splitReader, config), emitter, config, context, committer);
    }

    private TributarySourceReader(
            TributaryFetcherManager fetchers,
            TributaryRecordEmitter<T> emitter,
            Configuration config,
            SourceReaderContext context,
            GroupOffsetCommitter committer) {
        super(fetchers, emitter, config, context);
        this.fetchers = fetchers;
        this.committer = committer;
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof PartitionsRemovedEvent) {
            fetchers.dropPartitions(((PartitionsRemovedEvent) event).partitions());
        } else {
            super.handleSourceEvents(event);
        }
    }

    @Override
    protected void onSplitFinished(Map<String, TributarySplitState> finished) {
        finished.values().forEach(state -> {
            if (state.split().rangeIndex() == 0) {
                finishedOffsets.put(state.split().topicPartition(), state.nextOffset());
            }
        });
    }

    @Override
    protected TributarySplitState initializedState(TributarySplit split) {
        return new TributarySplitState(split);
    }

    @Override
    protected TributarySplit toSplitType(String splitId, TributarySplitState state) {
        return state.toSplit();
    }

    @Override
    public List<TributarySplit> snapshotState(long checkpointId) {
        List<TributarySplit> splits = super.snapshotState(checkpointId);
        if (committer != null) {
            Map<TopicPartition, Long> offsets = new HashMap<>(finishedOffsets);
            for (TributarySplit s : splits) {
                if (s.rangeIndex() == 0) {
                    offsets.put(s.topicPartition(), s.startingOffset());
                }
            }
            offsetsByCheckpoint.put(checkpointId, offsets);
        }
        return splits;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        super.notifyCheckpointComplete(checkpointId);
        if (committer == null) {
            return;
        }
        Map<TopicPartition, Long> offsets = offsetsByCheckpoint.get(checkpointId);
        // Older pending checkpoints are subsumed by this one.
        offsetsByCheckpoint.headMap(checkpointId + 1).clear();
        if (offsets != null) {
            committer.commitAsync(offsets);
            finishedOffsets.keySet().removeAll(offsets.keySet());
        }
    }

    @Override
    public void close() throws Exception {
        try {
            super.close();
        } finally {
            if (committer != null) {
                committer.close();
            }
        }
    }
}
