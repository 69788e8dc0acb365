package dev.tributary.flink.source;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A whole record as read: a Flink POJO (public fields, no-arg constructor) so it serializes without Kryo.
 * Headers keep their order and may repeat a key, hence two parallel arrays rather than a map (arrays of
 * strings and bytes are Flink-native types; a list of entries would fall back to Kryo).
 */
public class TributaryRecord {

    public String topic;
    public int partition;
    public long offset;
    public long timestamp;
    /** "CreateTime", "LogAppendTime" or "NoTimestampType". */
    public String timestampType;

    public byte[] key;
    public byte[] value;
    public String[] headerKeys;
    /** A null header value is kept as null. */
    public byte[][] headerValues;

    public TributaryRecord() {}

    public static TributaryRecord of(ConsumerRecord<byte[], byte[]> r) {
        TributaryRecord t = new TributaryRecord();
        t.topic = r.topic();
        t.partition = r.partition();
        t.offset = r.offset();
        t.timestamp = r.timestamp();
        t.timestampType = r.timestampType().name;
        t.key = r.key();
        t.value = r.value();
        Header[] hs = r.headers().toArray();
        t.headerKeys = new String[hs.length];
        t.headerValues = new byte[hs.length][];
        for (int i = 0; i < hs.length; i++) {
            t.headerKeys[i] = hs[i].key();
            t.headerValues[i] = hs[i].value();
        }
        return t;
    }

    @Override
    public String toString() {
        return topic + "-" + partition + "@" + offset + " ts=" + timestamp;
    }
}
