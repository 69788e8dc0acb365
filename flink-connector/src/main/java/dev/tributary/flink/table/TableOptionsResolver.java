package dev.tributary.flink.table;

import static dev.tributary.flink.table.TributaryConnectorOptions.*;

import dev.tributary.flink.source.enumerator.OffsetsInitializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.utils.LogicalTypeChecks;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns table options into source and sink settings. No I/O, so every rule is tested without a broker.
 * Errors are {@link ValidationException}s that name the option and the bad value.
 */
public final class TableOptionsResolver {

    private TableOptionsResolver() {}

    /** Kafka client properties from {@code properties.*}. */
    public static Properties clientProperties(Map<String, String> tableOptions) {
        Properties p = new Properties();
        tableOptions.forEach((k, v) -> {
            if (k.startsWith(PROPERTIES_PREFIX)) {
                p.setProperty(k.substring(PROPERTIES_PREFIX.length()), v);
            }
        });
        return p;
    }

    /** Parses {@code partition:0,offset:42;partition:1,offset:300} into partition -> offset. */
    public static Map<Integer, Long> parseSpecificOffsets(String value, String optionKey) {
        Map<Integer, Long> out = new HashMap<>();
        for (String pair : value.split(";")) {
            String[] kv = pair.trim().split(",");
            if (kv.length != 2
                    || !kv[0].trim().startsWith("partition:")
                    || !kv[1].trim().startsWith("offset:")) {
                throw new ValidationException("Invalid '" + optionKey + "' entry '" + pair
                        + "': expected 'partition:<int>,offset:<long>' pairs separated by ';'");
            }
            try {
                int partition = Integer.parseInt(kv[0].trim().substring("partition:".length()));
                long offset = Long.parseLong(kv[1].trim().substring("offset:".length()));
                if (partition < 0 || offset < 0) {
                    throw new NumberFormatException("negative");
                }
                out.put(partition, offset);
            } catch (NumberFormatException e) {
                throw new ValidationException("Invalid '" + optionKey + "' entry '" + pair
                        + "': partition and offset must be non-negative numbers");
            }
        }
        return out;
    }

    private static Map<TopicPartition, Long> perTopic(List<String> topics, Map<Integer, Long> byPartition, String key) {
        if (topics == null || topics.isEmpty()) {
            throw new ValidationException("'" + key + "' needs 'topic' (it does not apply to 'topic-pattern')");
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        for (String t : topics) {
            byPartition.forEach((p, o) -> out.put(new TopicPartition(t, p), o));
        }
        return out;
    }

    /** Where a group without commits starts: {@code properties.auto.offset.reset}, earliest by default. */
    private static OffsetsInitializer groupFallback(Properties props) {
        String reset = props.getProperty("auto.offset.reset", "earliest");
        switch (reset) {
            case "earliest":
                return OffsetsInitializer.earliest();
            case "latest":
                return OffsetsInitializer.latest();
            default:
                throw new ValidationException("'properties.auto.offset.reset' must be earliest or latest for "
                        + "'scan.startup.mode'='group-offsets', got '" + reset + "'");
        }
    }

    public static OffsetsInitializer startingOffsets(ReadableConfig options, List<String> topics, Properties props) {
        StartupMode mode = options.get(SCAN_STARTUP_MODE);
        switch (mode) {
            case EARLIEST_OFFSET:
                return OffsetsInitializer.earliest();
            case LATEST_OFFSET:
                return OffsetsInitializer.latest();
            case GROUP_OFFSETS:
                requireGroup(props, SCAN_STARTUP_MODE.key(), mode);
                return OffsetsInitializer.committed(groupFallback(props));
            case TIMESTAMP:
                return OffsetsInitializer.timestamp(require(
                        options.getOptional(SCAN_STARTUP_TIMESTAMP_MILLIS).orElse(null),
                        SCAN_STARTUP_TIMESTAMP_MILLIS.key(),
                        mode));
            case SPECIFIC_OFFSETS:
                String spec = require(
                        options.getOptional(SCAN_STARTUP_SPECIFIC_OFFSETS).orElse(null),
                        SCAN_STARTUP_SPECIFIC_OFFSETS.key(),
                        mode);
                return OffsetsInitializer.offsets(perTopic(
                        topics,
                        parseSpecificOffsets(spec, SCAN_STARTUP_SPECIFIC_OFFSETS.key()),
                        SCAN_STARTUP_SPECIFIC_OFFSETS.key()));
            default:
                throw new IllegalStateException("unhandled startup mode " + mode);
        }
    }

    /** @return null for an unbounded scan */
    public static OffsetsInitializer stoppingOffsets(ReadableConfig options, List<String> topics, Properties props) {
        BoundedMode mode = options.get(SCAN_BOUNDED_MODE);
        switch (mode) {
            case UNBOUNDED:
                return null;
            case LATEST_OFFSET:
                return OffsetsInitializer.latest();
            case GROUP_OFFSETS:
                requireGroup(props, SCAN_BOUNDED_MODE.key(), mode);
                return OffsetsInitializer.committed(OffsetsInitializer.latest());
            case TIMESTAMP:
                return OffsetsInitializer.timestamp(require(
                        options.getOptional(SCAN_BOUNDED_TIMESTAMP_MILLIS).orElse(null),
                        SCAN_BOUNDED_TIMESTAMP_MILLIS.key(),
                        mode));
            case SPECIFIC_OFFSETS:
                String spec = require(
                        options.getOptional(SCAN_BOUNDED_SPECIFIC_OFFSETS).orElse(null),
                        SCAN_BOUNDED_SPECIFIC_OFFSETS.key(),
                        mode);
                return OffsetsInitializer.offsets(
                        perTopic(
                                topics,
                                parseSpecificOffsets(spec, SCAN_BOUNDED_SPECIFIC_OFFSETS.key()),
                                SCAN_BOUNDED_SPECIFIC_OFFSETS.key()),
                        OffsetsInitializer.latest());
            default:
                throw new IllegalStateException("unhandled bounded mode " + mode);
        }
    }

    private static void requireGroup(Properties props, String key, Object mode) {
        if (props.getProperty("group.id") == null) {
            throw new ValidationException("'" + key + "'='" + mode + "' needs 'properties.group.id'");
        }
    }

    private static <T> T require(T value, String key, Object mode) {
        if (value == null) {
            throw new ValidationException("'" + key + "' is required when the mode is '" + mode + "'");
        }
        return value;
    }

    /** Indexes of the key columns in the physical row, in 'key.fields' order. */
    public static int[] keyProjection(DataType physical, List<String> keyFields, String keyFormat) {
        List<String> names = org.apache.flink.table.types.utils.DataTypeUtils.flattenToNames(physical);
        if (keyFields.isEmpty()) {
            if (keyFormat != null) {
                throw new ValidationException("'key.format' is set but 'key.fields' is empty: name the key columns");
            }
            return new int[0];
        }
        if (keyFormat == null) {
            throw new ValidationException("'key.fields' " + keyFields + " needs 'key.format'");
        }
        int[] out = new int[keyFields.size()];
        for (int i = 0; i < out.length; i++) {
            int idx = names.indexOf(keyFields.get(i));
            if (idx < 0) {
                throw new ValidationException(
                        "'key.fields' names '" + keyFields.get(i) + "', which is not a physical column of " + names);
            }
            out[i] = idx;
        }
        return out;
    }

    /** Indexes of the value columns: all physical columns, or those not in the key. */
    public static int[] valueProjection(DataType physical, int[] keyProjection, ValueFieldsStrategy strategy) {
        int n = LogicalTypeChecks.getFieldCount(physical.getLogicalType());
        List<Integer> keys = new ArrayList<>();
        for (int k : keyProjection) {
            keys.add(k);
        }
        return IntStream.range(0, n)
                .filter(i -> strategy == ValueFieldsStrategy.ALL || !keys.contains(i))
                .toArray();
    }

    /** Checks the key-fields prefix is on every key column and on no value-only column. */
    public static void checkPrefix(DataType physical, int[] keyProjection, String prefix) {
        if (prefix == null || prefix.isEmpty()) {
            return;
        }
        List<String> names = org.apache.flink.table.types.utils.DataTypeUtils.flattenToNames(physical);
        for (int k : keyProjection) {
            if (!names.get(k).startsWith(prefix)) {
                throw new ValidationException(
                        "key column '" + names.get(k) + "' must start with the 'key.fields-prefix' '" + prefix + "'");
            }
        }
    }

    public static List<LogicalType> fieldTypes(DataType physical) {
        return LogicalTypeChecks.getFieldTypes(physical.getLogicalType());
    }

    /**
     * The row type a key or value format sees: the projected columns, with the key prefix removed from
     * the names (the prefix only keeps key and value column names apart in the table).
     */
    public static DataType formatType(DataType physical, int[] projection, String prefix) {
        DataType projected =
                org.apache.flink.table.connector.Projection.of(projection).project(physical);
        if (prefix == null || prefix.isEmpty()) {
            return projected;
        }
        List<String> names = org.apache.flink.table.types.utils.DataTypeUtils.flattenToNames(projected);
        List<DataType> types = org.apache.flink.table.types.utils.DataTypeUtils.flattenToDataTypes(projected);
        org.apache.flink.table.api.DataTypes.Field[] fields =
                new org.apache.flink.table.api.DataTypes.Field[names.size()];
        for (int i = 0; i < fields.length; i++) {
            String n = names.get(i);
            fields[i] = org.apache.flink.table.api.DataTypes.FIELD(
                    n.startsWith(prefix) ? n.substring(prefix.length()) : n, types.get(i));
        }
        return org.apache.flink.table.api.DataTypes.ROW(fields).notNull();
    }
}
