package dev.tributary.flink.source.reader;

import dev.tributary.flink.source.split.TributarySplit;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.fetcher.SingleThreadFetcherManager;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcher;
import org.apache.flink.connector.base.source.reader.fetcher.SplitFetcherTask;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** The single fetcher of a reader, plus a way to run work on the fetcher thread (the consumer's only thread). */
final class TributaryFetcherManager extends SingleThreadFetcherManager<ConsumerRecord<byte[], byte[]>, TributarySplit> {

    TributaryFetcherManager(
            Supplier<SplitReader<ConsumerRecord<byte[], byte[]>, TributarySplit>> splitReader, Configuration config) {
        super(splitReader, config);
    }

    /** Finishes the splits of deleted partitions, on the fetcher thread. */
    void dropPartitions(Set<TopicPartition> partitions) {
        SplitFetcher<ConsumerRecord<byte[], byte[]>, TributarySplit> fetcher = getRunningFetcher();
        if (fetcher == null) {
            return; // no splits, nothing to drop
        }
        fetcher.enqueueTask(new SplitFetcherTask() {
            @Override
            public boolean run() {
                ((TributarySplitReader) fetcher.getSplitReader()).dropPartitions(partitions);
                return true;
            }

            @Override
            public void wakeUp() {}
        });
    }
}
