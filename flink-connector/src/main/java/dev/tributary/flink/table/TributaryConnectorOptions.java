package dev.tributary.flink.table;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.factories.FactoryUtil;

/**
 * Options of the {@code tributary} and {@code upsert-tributary} SQL connectors. Names and values are
 * flink-connector-kafka's, so a table switches by changing the connector word; the last block is
 * Tributary's own.
 */
public final class TributaryConnectorOptions {

    private TributaryConnectorOptions() {}

    /** Client properties are passed through from {@code properties.<kafka-key>}. */
    public static final String PROPERTIES_PREFIX = "properties.";

    public static final ConfigOption<List<String>> TOPIC = ConfigOptions.key("topic")
            .stringType()
            .asList()
            .noDefaultValue()
            .withDescription("Topic name(s), separated by ';'.");
    public static final ConfigOption<String> TOPIC_PATTERN = ConfigOptions.key("topic-pattern")
            .stringType()
            .noDefaultValue()
            .withDescription("Regular expression over topic names to read.");
    public static final ConfigOption<String> BOOTSTRAP_SERVERS =
            ConfigOptions.key("properties.bootstrap.servers").stringType().noDefaultValue();
    public static final ConfigOption<String> GROUP_ID =
            ConfigOptions.key("properties.group.id").stringType().noDefaultValue();

    public static final ConfigOption<String> KEY_FORMAT =
            ConfigOptions.key("key" + FactoryUtil.FORMAT_SUFFIX).stringType().noDefaultValue();
    public static final ConfigOption<String> VALUE_FORMAT =
            ConfigOptions.key("value" + FactoryUtil.FORMAT_SUFFIX).stringType().noDefaultValue();
    public static final ConfigOption<List<String>> KEY_FIELDS = ConfigOptions.key("key.fields")
            .stringType()
            .asList()
            .defaultValues()
            .withDescription("Physical columns serialized into the record key, separated by ';'.");
    public static final ConfigOption<String> KEY_FIELDS_PREFIX =
            ConfigOptions.key("key.fields-prefix").stringType().noDefaultValue();
    public static final ConfigOption<ValueFieldsStrategy> VALUE_FIELDS_INCLUDE = ConfigOptions.key(
                    "value.fields-include")
            .enumType(ValueFieldsStrategy.class)
            .defaultValue(ValueFieldsStrategy.ALL);

    public static final ConfigOption<StartupMode> SCAN_STARTUP_MODE =
            ConfigOptions.key("scan.startup.mode").enumType(StartupMode.class).defaultValue(StartupMode.GROUP_OFFSETS);
    public static final ConfigOption<String> SCAN_STARTUP_SPECIFIC_OFFSETS = ConfigOptions.key(
                    "scan.startup.specific-offsets")
            .stringType()
            .noDefaultValue()
            .withDescription("'partition:0,offset:42;partition:1,offset:300'");
    public static final ConfigOption<Long> SCAN_STARTUP_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.startup.timestamp-millis").longType().noDefaultValue();
    public static final ConfigOption<BoundedMode> SCAN_BOUNDED_MODE =
            ConfigOptions.key("scan.bounded.mode").enumType(BoundedMode.class).defaultValue(BoundedMode.UNBOUNDED);
    public static final ConfigOption<String> SCAN_BOUNDED_SPECIFIC_OFFSETS =
            ConfigOptions.key("scan.bounded.specific-offsets").stringType().noDefaultValue();
    public static final ConfigOption<Long> SCAN_BOUNDED_TIMESTAMP_MILLIS =
            ConfigOptions.key("scan.bounded.timestamp-millis").longType().noDefaultValue();
    public static final ConfigOption<Duration> SCAN_TOPIC_PARTITION_DISCOVERY = ConfigOptions.key(
                    "scan.topic-partition-discovery.interval")
            .durationType()
            .defaultValue(Duration.ofMinutes(5));
    public static final ConfigOption<Integer> SCAN_PARALLELISM = FactoryUtil.SOURCE_PARALLELISM;

    public static final ConfigOption<String> SINK_PARTITIONER = ConfigOptions.key("sink.partitioner")
            .stringType()
            .defaultValue("default")
            .withDescription("'default' (key hash, keyless round-robin), 'fixed', "
                    + "'round-robin', or the class name of a TributaryPartitioner<RowData>.");
    public static final ConfigOption<String> DELIVERY_GUARANTEE =
            ConfigOptions.key("sink.delivery-guarantee").stringType().defaultValue("at-least-once");
    public static final ConfigOption<Integer> SINK_PARALLELISM = FactoryUtil.SINK_PARALLELISM;

    // Tributary's own
    public static final ConfigOption<Boolean> SCAN_FAIL_ON_DATA_LOSS = ConfigOptions.key("scan.fail-on-data-loss")
            .booleanType()
            .defaultValue(true)
            .withDescription("Fail when retention deleted offsets the job needed; "
                    + "false counts them in the dataLossRecords metric and continues.");
    public static final ConfigOption<Duration> SCAN_PARTITION_IDLE_TIMEOUT = ConfigOptions.key(
                    "scan.partition-idle-timeout")
            .durationType()
            .defaultValue(Duration.ofSeconds(10))
            .withDescription("A partition with no records for this long no longer holds back the watermark; 0 = off.");
    public static final ConfigOption<Long> SCAN_BACKFILL_SPLIT_SIZE = ConfigOptions.key("scan.backfill-split-size")
            .longType()
            .defaultValue(0L)
            .withDescription("Cut bounded ranges into pieces of this many offsets.");

    public enum ValueFieldsStrategy {
        ALL,
        EXCEPT_KEY
    }

    /** Kafka's words for start modes. */
    public enum StartupMode {
        EARLIEST_OFFSET("earliest-offset"),
        LATEST_OFFSET("latest-offset"),
        GROUP_OFFSETS("group-offsets"),
        TIMESTAMP("timestamp"),
        SPECIFIC_OFFSETS("specific-offsets");

        private final String value;

        StartupMode(String value) {
            this.value = value;
        }

        @Override
        public String toString() {
            return value;
        }
    }

    public enum BoundedMode {
        UNBOUNDED("unbounded"),
        LATEST_OFFSET("latest-offset"),
        GROUP_OFFSETS("group-offsets"),
        TIMESTAMP("timestamp"),
        SPECIFIC_OFFSETS("specific-offsets");

        private final String value;

        BoundedMode(String value) {
            this.value = value;
        }

        @Override
        public String toString() {
            return value;
        }
    }
}
