package dev.tributary.flink.table;

import java.util.HashMap;
import java.util.Map;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericMapData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.table.types.DataType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** Metadata columns a table may read ({@code METADATA FROM 'offset'}), with Kafka-connector names. */
public enum ReadableMetadata {
    TOPIC("topic", DataTypes.STRING().notNull()) {
        @Override
        Object read(ConsumerRecord<byte[], byte[]> r) {
            return StringData.fromString(r.topic());
        }
    },
    PARTITION("partition", DataTypes.INT().notNull()) {
        @Override
        Object read(ConsumerRecord<byte[], byte[]> r) {
            return r.partition();
        }
    },
    OFFSET("offset", DataTypes.BIGINT().notNull()) {
        @Override
        Object read(ConsumerRecord<byte[], byte[]> r) {
            return r.offset();
        }
    },
    TIMESTAMP("timestamp", DataTypes.TIMESTAMP_LTZ(3).notNull()) {
        @Override
        Object read(ConsumerRecord<byte[], byte[]> r) {
            return TimestampData.fromEpochMillis(r.timestamp());
        }
    },
    TIMESTAMP_TYPE("timestamp-type", DataTypes.STRING().notNull()) {
        @Override
        Object read(ConsumerRecord<byte[], byte[]> r) {
            return StringData.fromString(r.timestampType().name);
        }
    },
    HEADERS(
            "headers",
            DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable())
                    .notNull()) {
        @Override
        Object read(ConsumerRecord<byte[], byte[]> r) {
            Map<StringData, byte[]> m = new HashMap<>();
            for (Header h : r.headers()) {
                m.put(StringData.fromString(h.key()), h.value()); // a repeated key keeps its last value
            }
            return new GenericMapData(m);
        }
    };

    final String key;
    final DataType type;

    ReadableMetadata(String key, DataType type) {
        this.key = key;
        this.type = type;
    }

    abstract Object read(ConsumerRecord<byte[], byte[]> record);

    static ReadableMetadata ofKey(String key) {
        for (ReadableMetadata m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metadata key '" + key + "'");
    }
}
