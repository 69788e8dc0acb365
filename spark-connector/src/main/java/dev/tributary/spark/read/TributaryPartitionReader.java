package dev.tributary.spark.read;

import dev.tributary.spark.TributaryErrors;
import dev.tributary.spark.client.ConsumerPool;
import dev.tributary.spark.offsets.OffsetRange;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.unsafe.types.UTF8String;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code [from, until)} of one topic-partition with a pooled consumer in assign mode.
 *
 * <p>The range ends when the consumer's position reaches {@code until}, not when a record with offset
 * {@code until - 1} arrives: compaction and transaction markers leave offsets without records.
 *
 * <p>Data-loss policy (failOnDataLoss): when the broker no longer has the next offset (retention or
 * DeleteRecords moved the log start past it), the reader fails with TRIBUTARY_DATA_LOSS if the option is
 * true; otherwise it logs the lost interval and continues at the log start offset.
 */
final class TributaryPartitionReader implements PartitionReader<InternalRow> {
  private static final Logger LOG = LoggerFactory.getLogger(TributaryPartitionReader.class);
  private static final Duration POLL = Duration.ofMillis(500);

  private final OffsetRange range;
  private final TopicPartition tp;
  private final ConsumerPool.Key key;
  private final ColumnLayout.Column[] columns;
  private final BytesDecoder keyDecoder;
  private final BytesDecoder valueDecoder;
  private final boolean failOnDataLoss;
  private final long pollTimeoutMs;
  private final UTF8String topic;
  private final GenericInternalRow row;

  private KafkaConsumer<byte[], byte[]> consumer;
  private Iterator<ConsumerRecord<byte[], byte[]>> buffered = java.util.Collections.emptyIterator();
  private long nextOffset;
  private long recordsRead;
  private boolean failed;

  TributaryPartitionReader(OffsetRange range, Map<String, Object> consumerConfig, ColumnLayout layout,
      BytesDecoder keyDecoder, BytesDecoder valueDecoder, boolean failOnDataLoss, long pollTimeoutMs) {
    this.range = range;
    this.tp = range.topicPartition();
    this.columns = layout.columns();
    this.key = new ConsumerPool.Key(consumerConfig, tp, layout.reads(ColumnLayout.Column.KEY),
        layout.reads(ColumnLayout.Column.VALUE));
    this.keyDecoder = keyDecoder;
    this.valueDecoder = valueDecoder;
    this.failOnDataLoss = failOnDataLoss;
    this.pollTimeoutMs = pollTimeoutMs;
    this.topic = UTF8String.fromString(tp.topic());
    this.row = new GenericInternalRow(columns.length);
    this.nextOffset = range.from();
    keyDecoder.open();
    valueDecoder.open();
  }

  @Override
  public boolean next() {
    try {
      return advance();
    } catch (RuntimeException e) {
      failed = true; // the consumer may be mid-request or interrupted: do not pool it
      throw e;
    }
  }

  private boolean advance() {
    while (true) {
      if (buffered.hasNext()) {
        ConsumerRecord<byte[], byte[]> r = buffered.next();
        if (r.offset() >= range.until()) {
          buffered = java.util.Collections.emptyIterator();
          nextOffset = range.until();
          return false;
        }
        nextOffset = r.offset() + 1;
        fill(r);
        recordsRead++;
        return true;
      }
      if (nextOffset >= range.until() || !fetch()) {
        return false;
      }
    }
  }

  /** Polls until records arrive; returns false when the range turns out to be finished. */
  private boolean fetch() {
    if (consumer == null) {
      consumer = ConsumerPool.borrow(key);
      consumer.assign(List.of(tp));
      consumer.seek(tp, nextOffset);
    }
    long deadline = System.currentTimeMillis() + pollTimeoutMs;
    while (true) {
      ConsumerRecords<byte[], byte[]> records;
      try {
        records = consumer.poll(POLL);
      } catch (OffsetOutOfRangeException e) {
        if (!skipLostOffsets()) {
          return false;
        }
        continue;
      }
      if (!records.isEmpty()) {
        buffered = records.records(tp).iterator();
        return true;
      }
      long position = consumer.position(tp);
      if (position >= range.until()) {
        nextOffset = range.until();
        return false;
      }
      if (position > nextOffset) {
        nextOffset = position; // markers or compacted-away offsets
        deadline = System.currentTimeMillis() + pollTimeoutMs;
      }
      if (System.currentTimeMillis() > deadline) {
        long earliest = consumer.beginningOffsets(List.of(tp)).get(tp);
        if (earliest > position) {
          if (!skipLostOffsets()) {
            return false;
          }
          continue;
        }
        failed = true;
        throw TributaryErrors.fetchTimeout(tp, position, range.until(), pollTimeoutMs);
      }
    }
  }

  /** Applies the data-loss policy at the current position; false when nothing of the range is left. */
  private boolean skipLostOffsets() {
    long earliest = consumer.beginningOffsets(List.of(tp)).get(tp);
    long latest = consumer.endOffsets(List.of(tp)).get(tp);
    long resumeAt = nextOffset < earliest ? earliest : latest;
    if (failOnDataLoss) {
      failed = true;
      throw TributaryErrors.dataLoss(tp, nextOffset, Math.min(resumeAt, range.until()),
          nextOffset < earliest ? "the log now starts at " + earliest : "the log now ends at " + latest);
    }
    LOG.warn("{}: offsets [{}, {}) are lost (log is now [{}, {})); continuing because failOnDataLoss=false",
        tp, nextOffset, Math.min(resumeAt, range.until()), earliest, latest);
    nextOffset = resumeAt;
    if (nextOffset >= range.until()) {
      return false;
    }
    consumer.seek(tp, nextOffset);
    return true;
  }

  private void fill(ConsumerRecord<byte[], byte[]> r) {
    for (int i = 0; i < columns.length; i++) {
      switch (columns[i]) {
        case KEY -> row.update(i, r.key() == null ? null : keyDecoder.decode(r.key()));
        case VALUE -> row.update(i, r.value() == null ? null : valueDecoder.decode(r.value()));
        case TOPIC -> row.update(i, topic);
        case PARTITION -> row.setInt(i, r.partition());
        case OFFSET -> row.setLong(i, r.offset());
        case TIMESTAMP -> row.setLong(i, r.timestamp() * 1000L); // Spark timestamps are microseconds
        case TIMESTAMP_TYPE -> row.setInt(i, r.timestampType() == TimestampType.LOG_APPEND_TIME ? 1 : 0);
        case HEADERS -> row.update(i, headers(r));
        default -> throw new IllegalStateException("unknown column " + columns[i]);
      }
    }
  }

  private static GenericArrayData headers(ConsumerRecord<byte[], byte[]> r) {
    Header[] hs = r.headers().toArray();
    Object[] out = new Object[hs.length];
    for (int i = 0; i < hs.length; i++) {
      out[i] = new GenericInternalRow(new Object[] {UTF8String.fromString(hs[i].key()), hs[i].value()});
    }
    return new GenericArrayData(out);
  }

  @Override
  public InternalRow get() {
    return row;
  }

  @Override
  public CustomTaskMetric[] currentMetricsValues() {
    return new CustomTaskMetric[] {RecordsReadMetric.value(recordsRead)};
  }

  @Override
  public void close() {
    if (consumer == null) {
      return;
    }
    if (failed) {
      ConsumerPool.discard(consumer);
    } else {
      ConsumerPool.release(key, consumer);
    }
    consumer = null;
  }
}
